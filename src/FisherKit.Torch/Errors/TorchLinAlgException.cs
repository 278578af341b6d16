namespace FisherKit.Torch;

/// <summary>A linear-algebra routine failed: a singular matrix, a matrix that is not positive definite, no convergence.</summary>
public sealed class TorchLinAlgException : ArithmeticException, ITorchException
{
    /// <summary>Creates the exception for a failed operation.</summary>
    /// <param name="operation">The FisherKit.Torch operation that failed.</param>
    /// <param name="nativeMessage">libtorch's message, without backtrace.</param>
    public TorchLinAlgException(string operation, string nativeMessage)
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
