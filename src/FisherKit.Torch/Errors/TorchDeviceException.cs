namespace FisherKit.Torch;

/// <summary>A device (CUDA) is missing or failed.</summary>
public sealed class TorchDeviceException : NotSupportedException, ITorchException
{
    /// <summary>Creates the exception for a failed operation.</summary>
    /// <param name="operation">The FisherKit.Torch operation that failed.</param>
    /// <param name="nativeMessage">libtorch's message, without backtrace.</param>
    public TorchDeviceException(string operation, string nativeMessage)
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
