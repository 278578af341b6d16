namespace FisherKit.Torch;

/// <summary>
/// Disposes every tensor created on this thread while it is the innermost scope, except those
/// moved out (<see cref="MoveToOuter(torch.Tensor)"/>) or detached. Scopes nest strictly: disposing one that is
/// not the innermost throws, so a scope can never free tensors that an inner scope still owns.
/// </summary>
/// <example>
/// <code>
/// using (var scope = torch.NewDisposeScope())
/// {
///     var g = (x * x).sum();          // temporaries die with the scope
///     result = scope.MoveToOuter(g);  // g survives
/// }
/// </code>
/// </example>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? _current;

    private readonly DisposeScope? _outer;
    private readonly HashSet<torch.Tensor> _owned = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal DisposeScope()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>The innermost open scope of this thread, or null.</summary>
    internal static DisposeScope? Current => _current;

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int Count => _owned.Count;

    internal void Register(torch.Tensor t) => _owned.Add(t);

    internal void Forget(torch.Tensor t) => _owned.Remove(t);

    /// <summary>Hands the tensor to the enclosing scope (or to no scope at all), and returns it.</summary>
    public torch.Tensor MoveToOuter(torch.Tensor t)
    {
        ThrowIfDisposed();
        if (t.OwningScope != this) throw new InvalidOperationException("The tensor is not owned by this scope.");
        _owned.Remove(t);
        t.OwningScope = _outer;
        _outer?.Register(t);
        return t;
    }

    /// <summary>Moves several tensors to the enclosing scope.</summary>
    public void MoveToOuter(params torch.Tensor[] tensors)
    {
        foreach (var t in tensors) MoveToOuter(t);
    }

    /// <summary>Removes the tensor from every scope: the caller now owns it and must dispose it.</summary>
    public torch.Tensor Detach(torch.Tensor t)
    {
        ThrowIfDisposed();
        if (t.OwningScope != this) throw new InvalidOperationException("The tensor is not owned by this scope.");
        _owned.Remove(t);
        t.OwningScope = null;
        return t;
    }

    /// <summary>Disposes the tensors this scope owns and closes it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        if (_current != this)
            throw new InvalidOperationException("Dispose scopes must be closed innermost first; an inner scope of this one is still open.");
        _disposed = true;
        _current = _outer;
        foreach (var t in _owned)
        {
            t.OwningScope = null;
            t.Dispose();
        }
        _owned.Clear();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
