using System.Text.Json.Nodes;
using FisherKit.Notebooks.Execution;
using FisherKit.Notebooks.Model;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Runner;

/// <summary>
/// Turns a running cell's events into nbformat outputs: consecutive stream text of the same name is
/// merged into one output (as nbclient does), displays become <c>display_data</c>, and updates
/// replace the data of the output with the same display id, wherever it is in the notebook.
/// </summary>
internal sealed class OutputCollector : IExecutionObserver
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<JsonObject>> _byDisplayId = [];
    private NotebookCell? _cell;

    public void Begin(NotebookCell cell)
    {
        lock (_gate) _cell = cell;
    }

    public void End()
    {
        lock (_gate) _cell = null;
    }

    public void OnStream(string name, string text)
    {
        lock (_gate)
        {
            if (_cell is null) return;
            var outputs = _cell.Outputs;
            if (outputs.Count > 0 && outputs[^1] is JsonObject last && (string?)last["output_type"] == "stream" && (string?)last["name"] == name)
            {
                last["text"] = Notebook.ToLines(Outputs.Text(last["text"]) + text);
                return;
            }
            outputs.Add(Outputs.Stream(name, text));
        }
    }

    public void OnDisplay(MimeBundle bundle, string displayId)
    {
        lock (_gate)
        {
            if (_cell is null) return;
            var o = Outputs.DisplayData(bundle, displayId);
            _cell.Outputs.Add(o);
            if (!_byDisplayId.TryGetValue(displayId, out var list)) _byDisplayId[displayId] = list = [];
            list.Add(o);
        }
    }

    public void OnUpdateDisplay(MimeBundle bundle, string displayId)
    {
        lock (_gate)
        {
            if (!_byDisplayId.TryGetValue(displayId, out var list)) return;
            foreach (var o in list) o["data"] = Outputs.Data(bundle);
        }
    }
}
