using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FisherKit.Notebooks.Execution;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// Publishes what one execute request's cell produces on iopub, with that request as parent:
/// <c>stream</c> (text buffered and sent at most every 50 ms, or before anything else),
/// <c>display_data</c> and <c>update_display_data</c> with the display id in <c>transient</c> (and,
/// as the headless engine writes it, in <c>metadata.fisherkit.display_id</c>). Output of tasks the
/// cell left running still goes here, after the reply.
/// </summary>
internal sealed class KernelObserver : IExecutionObserver
{
    private const int FlushDelayMs = 50;
    private const int MaxBuffered = 64 * 1024;

    private readonly Action<string, JsonObject> _publish;
    private readonly object _gate = new();
    private readonly List<(string Name, StringBuilder Text)> _segments = [];
    private readonly Timer _timer;
    private int _buffered;
    private bool _scheduled;

    /// <param name="publish">Publishes a message (type, content) with the request as parent.</param>
    public KernelObserver(Action<string, JsonObject> publish)
    {
        _publish = publish;
        using (ExecutionContext.SuppressFlow()) _timer = new Timer(_ => Flush());
    }

    public void OnStream(string name, string text)
    {
        if (string.IsNullOrEmpty(text)) return;
        bool now;
        lock (_gate)
        {
            if (_segments.Count > 0 && _segments[^1].Name == name) _segments[^1].Text.Append(text);
            else _segments.Add((name, new StringBuilder(text)));
            _buffered += text.Length;
            now = _buffered >= MaxBuffered;
            if (!now && !_scheduled)
            {
                _scheduled = true;
                _timer.Change(FlushDelayMs, Timeout.Infinite);
            }
        }
        if (now) Flush();
    }

    /// <summary>Publishes buffered stream text now, in the order it was written.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _scheduled = false;
            foreach (var (name, text) in _segments)
                _publish("stream", new JsonObject { ["name"] = name, ["text"] = text.ToString() });
            _segments.Clear();
            _buffered = 0;
        }
    }

    public void OnDisplay(MimeBundle bundle, string displayId) => Display("display_data", bundle, displayId);

    public void OnUpdateDisplay(MimeBundle bundle, string displayId) => Display("update_display_data", bundle, displayId);

    private void Display(string type, MimeBundle bundle, string displayId)
    {
        lock (_gate)
        {
            Flush();
            _publish(type, new JsonObject
            {
                ["data"] = Data(bundle),
                ["metadata"] = new JsonObject { ["fisherkit"] = new JsonObject { ["display_id"] = displayId } },
                ["transient"] = new JsonObject { ["display_id"] = displayId },
            });
        }
    }

    /// <summary>A MIME bundle as Jupyter's <c>data</c>: JSON types as JSON, everything else as one string.</summary>
    public static JsonObject Data(MimeBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var data = new JsonObject();
        foreach (var (mime, value) in bundle)
        {
            if (MimeTypes.IsJson(mime))
            {
                try
                {
                    data[mime] = JsonNode.Parse(value);
                    continue;
                }
                catch (JsonException) { }
            }
            data[mime] = value;
        }
        return data;
    }
}
