namespace FisherKit.Notebooks.Kernel;

/// <summary>Thrown into a running cell when the user interrupts it (Jupyter's interrupt button).</summary>
public sealed class CellInterruptedException : OperationCanceledException
{
    /// <summary>Creates the exception with the standard message.</summary>
    public CellInterruptedException() : base("The cell was interrupted.") { }

    /// <summary>Creates the exception.</summary>
    public CellInterruptedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public CellInterruptedException(string message, Exception inner) : base(message, inner) { }
}
