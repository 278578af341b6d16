namespace FisherKit.Notebooks.Runner;

/// <summary>The outcome of <see cref="NotebookRunner.RunAsync"/>; the executed notebook is written in every case.</summary>
/// <param name="OutputPath">Where the executed notebook was written.</param>
/// <param name="Status">How the run ended.</param>
/// <param name="Failed">The cell that stopped the run, if any.</param>
/// <param name="Duration">Wall-clock time of the run.</param>
/// <param name="Warnings">Things the user should know (unknown parameters, no static images).</param>
public sealed record NotebookRunResult(string OutputPath, RunStatus Status, FailedCell? Failed, TimeSpan Duration, IReadOnlyList<string> Warnings)
{
    /// <summary>Throws <see cref="NotebookExecutionException"/> unless the run succeeded.</summary>
    public NotebookRunResult EnsureSuccess() =>
        Status == RunStatus.Succeeded ? this : throw new NotebookExecutionException(this);
}
