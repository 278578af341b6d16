namespace FisherKit.Notebooks.Execution;

/// <summary>
/// Runs code cells one after another in one persistent state (variables, usings and references of
/// earlier cells stay visible), reporting outputs as they happen. Implementations: the Roslyn
/// scripting engine in this process (<see cref="ScriptEngine"/>) and the supervised worker process
/// (<see cref="WorkerEngine"/>); a Jupyter kernel drives the same interface.
/// </summary>
public interface IExecutionEngine : IAsyncDisposable
{
    /// <summary>Prepares a fresh state.</summary>
    Task StartAsync(EngineOptions options, CancellationToken cancellationToken);

    /// <summary>Runs one cell. Errors, time-outs and crashes come back as a <see cref="CellResult"/>, not as exceptions.</summary>
    /// <param name="code">The cell source.</param>
    /// <param name="cellName">A name for locations in messages, e.g. <c>cell 4</c>.</param>
    /// <param name="observer">Receives streams and displays while the cell runs.</param>
    /// <param name="cancellationToken">Cancels the run (the cell is stopped).</param>
    Task<CellResult> ExecuteAsync(string code, string cellName, IExecutionObserver observer, CancellationToken cancellationToken);
}
