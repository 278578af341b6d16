namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// Sets <see cref="ConvolutionWorkspace.BudgetBytes"/> for a test (to force calls of a known size) and restores the
/// previous budget when disposed.
/// </summary>
internal sealed class WorkspaceBudget : IDisposable
{
    private readonly long _previous = ConvolutionWorkspace.BudgetBytes;

    public WorkspaceBudget(long bytes) => ConvolutionWorkspace.BudgetBytes = bytes;

    public void Dispose() => ConvolutionWorkspace.BudgetBytes = _previous;
}
