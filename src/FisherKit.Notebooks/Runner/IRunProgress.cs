using FisherKit.Notebooks.Execution;

namespace FisherKit.Notebooks.Runner;

/// <summary>Receives per-cell progress of a run (the command line prints it).</summary>
public interface IRunProgress
{
    /// <summary>A code cell starts (<paramref name="ordinal"/> of <paramref name="total"/> code cells).</summary>
    void CellStarted(int cellNumber, int ordinal, int total, string firstLine);

    /// <summary>A code cell ended.</summary>
    void CellFinished(int cellNumber, CellStatus status, TimeSpan duration);

    /// <summary>A remark (warnings, image rendering).</summary>
    void Note(string message);
}
