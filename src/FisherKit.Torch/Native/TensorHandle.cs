using System.Runtime.InteropServices;

namespace FisherKit.Torch.Native;

/// <summary>
/// Owns one native at::Tensor reference. SafeHandle keeps the handle alive while a native call that
/// uses it is in flight and makes a second release harmless; its finalizer is only a backstop.
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long _live;

    /// <summary>A handle to pass where the native side accepts "no tensor" (null). Never released.</summary>
    internal static readonly TensorHandle Null = new();

    private TensorHandle() : base(IntPtr.Zero, ownsHandle: false) { }

    internal TensorHandle(IntPtr native) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(native);
        Interlocked.Increment(ref _live);
    }

    /// <summary>Native tensor references currently held by .NET (a leak detector for tests).</summary>
    internal static long Live => Interlocked.Read(ref _live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.fk_tensor_free(handle);
        Interlocked.Decrement(ref _live);
        return true;
    }
}

/// <summary>Owns one native at::Generator.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    internal static readonly GeneratorHandle Null = new();

    private GeneratorHandle() : base(IntPtr.Zero, ownsHandle: false) { }

    internal GeneratorHandle(IntPtr native) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(native);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.fk_generator_free(handle);
        return true;
    }
}
