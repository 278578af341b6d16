namespace FisherKit.Torch.Native;

/// <summary>
/// Pins a list of tensors for one native call that takes an array of handles: each handle is
/// add-ref'ed (so a concurrent Dispose cannot free it mid-call) and released afterwards.
/// Null entries pass as null pointers.
/// </summary>
internal ref struct HandleArray
{
    private readonly TensorHandle?[] _handles;
    private readonly bool[] _added;
    public readonly IntPtr[] Pointers;

    public HandleArray(IReadOnlyList<torch.Tensor?> tensors)
    {
        _handles = new TensorHandle?[tensors.Count];
        _added = new bool[tensors.Count];
        Pointers = new IntPtr[tensors.Count];
        try
        {
            for (int i = 0; i < tensors.Count; i++)
            {
                var t = tensors[i];
                if (t is null) continue;
                var h = t.Handle;
                h.DangerousAddRef(ref _added[i]);
                _handles[i] = h;
                Pointers[i] = h.DangerousGetHandle();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public readonly int Length => Pointers.Length;

    public readonly void Dispose()
    {
        for (int i = 0; i < _handles.Length; i++)
            if (_added[i]) _handles[i]!.DangerousRelease();
    }
}
