namespace FisherKit.Torch;

/// <summary>The operation is not implemented for this dtype, layout or device.</summary>
public sealed class TorchNotSupportedException : NotSupportedException, ITorchException
{
    /// <summary>Creates the exception for a failed operation.</summary>
    /// <param name="operation">The FisherKit.Torch operation that failed.</param>
    /// <param name="nativeMessage">libtorch's message, without backtrace.</param>
    public TorchNotSupportedException(string operation, string nativeMessage)
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
