using System.Text.Json.Nodes;
using FisherKit.Notebooks.Execution;
using FisherKit.Notebooks.Model;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Runner;

/// <summary>
/// Turns a running cell's events into nbformat outputs: consecutive stream text of the same name is
/// merged into one output (as nbclient does), displays become <c>display_data</c>, and updates
/// replace the data of the output with the same display id, wherever it is in the notebook.
/// The text of the stream output being written is kept in a buffer and turned into nbformat lines
/// when another output follows or the cell ends (rebuilt on every write, 20 000 lines took minutes).
/// </summary>
internal sealed class OutputCollector : IExecutionObserver
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<JsonObject>> _byDisplayId = [];
    private NotebookCell? _cell;
    private JsonObject? _stream;
    private readonly System.Text.StringBuilder _streamText = new();

    public void Begin(NotebookCell cell)
    {
        lock (_gate)
        {
            CloseStream();
            _cell = cell;
        }
    }

    public void End()
    {
        lock (_gate)
        {
            CloseStream();
            _cell = null;
        }
    }

    /// <summary>Writes the buffered text into the open stream output.</summary>
    private void CloseStream()
    {
        if (_stream is null) return;
        _stream["text"] = Notebook.ToLines(_streamText.ToString());
        _stream = null;
        _streamText.Clear();
    }

    public void OnStream(string name, string text)
    {
        lock (_gate)
        {
            if (_cell is null) return;
            var outputs = _cell.Outputs;
            if (outputs.Count > 0 && outputs[^1] is JsonObject last && (string?)last["output_type"] == "stream" && (string?)last["name"] == name)
            {
                if (!ReferenceEquals(last, _stream))
                {
                    CloseStream();
                    _stream = last;
                    _streamText.Append(Outputs.Text(last["text"]));
                }
                _streamText.Append(text);
                return;
            }
            CloseStream();
            _stream = Outputs.Stream(name, "");
            _streamText.Append(text);
            outputs.Add(_stream);
        }
    }

    public void OnDisplay(MimeBundle bundle, string displayId)
    {
        lock (_gate)
        {
            if (_cell is null) return;
            CloseStream();
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
