namespace FisherKit.Notebooks.Cli;

/// <summary>Exit codes of the <c>fisherkit</c> command line.</summary>
public static class ExitCodes
{
    /// <summary>Everything ran.</summary>
    public const int Ok = 0;
    /// <summary>A cell failed to compile or threw.</summary>
    public const int CellError = 1;
    /// <summary>Bad command line or bad input (missing file, malformed notebook, other language, bad parameter).</summary>
    public const int Usage = 2;
    /// <summary>A cell ran past its time limit.</summary>
    public const int Timeout = 3;
    /// <summary>The worker process died (native crash, out of memory).</summary>
    public const int Crashed = 4;
    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
