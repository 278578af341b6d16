namespace FisherKit.Torch;

/// <summary>An operation is not valid in the current state, e.g. backward through a graph that was already freed.</summary>
public sealed class TorchStateException : InvalidOperationException, ITorchException
{
    /// <summary>Creates the exception for a failed operation.</summary>
    /// <param name="operation">The FisherKit.Torch operation that failed.</param>
    /// <param name="nativeMessage">libtorch's message, without backtrace.</param>
    public TorchStateException(string operation, string nativeMessage)
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
