namespace FisherKit.Notebooks.Execution;

/// <summary>What went wrong in a cell, in Jupyter's terms.</summary>
/// <param name="Name">Exception type or error kind (<c>CompilationError</c>, <c>CellTimeoutError</c>, ...).</param>
/// <param name="Value">The message.</param>
/// <param name="Traceback">Lines to show, first the location.</param>
/// <param name="Line">1-based line in the cell where it happened, when known.</param>
public sealed record CellError(string Name, string Value, IReadOnlyList<string> Traceback, int? Line);
