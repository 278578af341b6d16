using System.Globalization;
using FisherKit.Notebooks.Execution;
using FisherKit.Notebooks.Runner;

namespace FisherKit.Notebooks.Cli;

/// <summary>Prints one line per cell: position, first line of code, time, status.</summary>
internal sealed class ConsoleProgress(TextWriter output) : IRunProgress
{
    private string _pending = "";

    public void CellStarted(int cellNumber, int ordinal, int total, string firstLine)
    {
        var width = total.ToString(CultureInfo.InvariantCulture).Length;
        var text = firstLine.Length > 48 ? firstLine[..47] + "…" : firstLine;
        _pending = string.Create(CultureInfo.InvariantCulture, $"  [{ordinal.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{total}] cell {cellNumber,-3} {text,-48}");
        output.Write(_pending);
        output.Flush();
    }

    public void CellFinished(int cellNumber, CellStatus status, TimeSpan duration)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $" {duration.TotalSeconds,8:0.00} s  {status.ToString().ToLowerInvariant()}"));
        _pending = "";
    }

    public void Note(string message)
    {
        if (_pending.Length > 0) output.WriteLine();
        _pending = "";
        output.WriteLine("  " + message);
    }
}
