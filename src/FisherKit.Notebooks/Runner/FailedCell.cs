namespace FisherKit.Notebooks.Runner;

/// <summary>The cell that stopped a run.</summary>
/// <param name="CellNumber">1-based position among all cells of the notebook.</param>
/// <param name="ExecutionCount">Its execution count (the <c>In [n]</c> number).</param>
/// <param name="Source">Its source.</param>
/// <param name="ErrorName">Exception type or error kind.</param>
/// <param name="ErrorValue">The message (with the line, when known).</param>
/// <param name="Traceback">The traceback lines.</param>
public sealed record FailedCell(int CellNumber, int? ExecutionCount, string Source, string ErrorName, string ErrorValue, IReadOnlyList<string> Traceback);
