namespace FisherKit.Notebooks.Execution;

/// <summary>How a cell's execution ended.</summary>
public enum CellStatus
{
    /// <summary>Ran to the end.</summary>
    Ok,
    /// <summary>Did not compile, or threw.</summary>
    Error,
    /// <summary>Ran longer than the per-cell time limit and was stopped.</summary>
    Timeout,
    /// <summary>The process running it died (a native crash, out of memory).</summary>
    Crashed,
    /// <summary>Stopped because the run was cancelled.</summary>
    Cancelled,
}
