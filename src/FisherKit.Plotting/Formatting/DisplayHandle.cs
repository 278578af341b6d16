namespace FisherKit.Plotting.Formatting;

/// <summary>
/// An output shown by <see cref="Display.Show"/>; <see cref="Update"/> replaces it in place
/// (progress bars, figures refreshed while a loop runs).
/// </summary>
public sealed class DisplayHandle
{
    private readonly IDisplayHost _host;
    private readonly IReadOnlyList<string>? _mimeTypes;

    internal DisplayHandle(IDisplayHost host, string displayId, IReadOnlyList<string>? mimeTypes)
    {
        _host = host;
        DisplayId = displayId;
        _mimeTypes = mimeTypes;
    }

    /// <summary>The identifier of the output (the Jupyter <c>display_id</c>).</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the shown output by <paramref name="value"/>, formatted like the original.</summary>
    public void Update(object? value) => _host.UpdateDisplay(Formatter.ToMimeBundle(value, _mimeTypes), DisplayId);

    /// <inheritdoc />
    public override string ToString() => $"DisplayHandle({DisplayId})";
}
