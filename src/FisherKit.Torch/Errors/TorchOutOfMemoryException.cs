namespace FisherKit.Torch;

/// <summary>libtorch could not allocate memory for an operation (host or device).</summary>
public sealed class TorchOutOfMemoryException : OutOfMemoryException, ITorchException
{
    /// <summary>Creates the exception for a failed operation.</summary>
    /// <param name="operation">The FisherKit.Torch operation that failed.</param>
    /// <param name="nativeMessage">libtorch's message, without backtrace.</param>
    public TorchOutOfMemoryException(string operation, string nativeMessage)
        : base($"{operation}: {nativeMessage}")
    {
        Operation = operation;
        NativeMessage = nativeMessage;
    }

    /// <inheritdoc />
    public string Operation { get; }

    /// <inheritdoc />
    public string NativeMessage { get; }
}
