using System.Diagnostics;
using FisherKit.Notebooks.Model;
using FisherKit.Notebooks.Runner;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Tests;

/// <summary>How a running cell's output events become nbformat outputs.</summary>
public class OutputCollectorTests
{
    [Fact]
    public void A_cell_printing_many_lines_is_collected_quickly_and_in_order()
    {
        // Each write used to rebuild the whole text of the stream output: 20 000 lines took over a minute.
        var cell = Notebook.Parse(Notebooks.Json(Notebooks.Cell("x"))).Cells.First(c => c.IsCode);
        var collector = new OutputCollector();
        collector.Begin(cell);
        const int lines = 200_000;
        var written = 0;
        var watch = Stopwatch.StartNew();
        for (; written < lines && watch.Elapsed < TimeSpan.FromSeconds(30); written++)
        {
            collector.OnStream("stdout", "line " + written);
            collector.OnStream("stdout", "\n");
        }
        Assert.Equal(lines, written);
        collector.OnStream("stderr", "warning\n");
        collector.OnStream("stdout", "after ");
        collector.OnDisplay(MimeBundle.Empty.With("text/plain", "shown"), "d1");
        collector.OnStream("stdout", "tail");
        collector.End();
        collector.OnStream("stdout", "late"); // after the cell ended: dropped

        var outputs = cell.Outputs;
        Assert.Equal(5, outputs.Count);
        var first = outputs[0]!["text"]!.AsArray();
        Assert.Equal(lines, first.Count);
        Assert.Equal("line 0\n", (string?)first[0]);
        Assert.Equal($"line {lines - 1}\n", (string?)first[^1]);
        Assert.Equal("warning\n", Outputs.Text(outputs[1]!["text"]));
        Assert.Equal("after ", Outputs.Text(outputs[2]!["text"]));
        Assert.Equal("display_data", (string?)outputs[3]!["output_type"]);
        Assert.Equal("tail", Outputs.Text(outputs[4]!["text"]));
    }
}
