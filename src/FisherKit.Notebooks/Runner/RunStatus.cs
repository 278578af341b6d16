namespace FisherKit.Notebooks.Runner;

/// <summary>How a notebook run ended.</summary>
public enum RunStatus
{
    /// <summary>Every cell ran (or failed with errors allowed).</summary>
    Succeeded,
    /// <summary>A cell failed to compile or threw.</summary>
    CellError,
    /// <summary>A cell ran past the time limit.</summary>
    Timeout,
    /// <summary>The worker process died.</summary>
    Crashed,
    /// <summary>The run was cancelled.</summary>
    Cancelled,
}
