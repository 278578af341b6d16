namespace FisherKit.Torch;

/// <summary>
/// Implemented by every exception that comes from libtorch. Each category maps to the matching
/// .NET base type (ArgumentException, InvalidOperationException, ...), so callers can catch either.
/// </summary>
public interface ITorchException
{
    /// <summary>The FisherKit.Torch operation that failed, e.g. "matmul".</summary>
    string Operation { get; }

    /// <summary>libtorch's own message (e.g. the shapes of a failed matmul), without backtrace.</summary>
    string NativeMessage { get; }
}
