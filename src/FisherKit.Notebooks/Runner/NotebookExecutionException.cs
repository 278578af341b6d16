namespace FisherKit.Notebooks.Runner;

/// <summary>A notebook run stopped at a cell; the executed notebook (with the error shown at that cell) was written.</summary>
public sealed class NotebookExecutionException : Exception
{
    /// <summary>Makes the exception from a run result.</summary>
    public NotebookExecutionException(NotebookRunResult result)
        : base(Describe(result)) => Result = result;

    /// <summary>The run's outcome.</summary>
    public NotebookRunResult Result { get; }

    private static string Describe(NotebookRunResult r) => r.Failed is { } f
        ? $"{r.Status} in cell {f.CellNumber} (In [{f.ExecutionCount}]): {f.ErrorName}: {f.ErrorValue}. Executed notebook: {r.OutputPath}"
        : $"{r.Status}. Executed notebook: {r.OutputPath}";
}
