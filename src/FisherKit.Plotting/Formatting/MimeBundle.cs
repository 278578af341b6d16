using System.Collections;
using System.Collections.Immutable;

namespace FisherKit.Plotting.Formatting;

/// <summary>
/// A value rendered into several MIME types at once (a Jupyter MIME bundle); the front end shows the
/// richest one it supports. Values are text: JSON types (<see cref="MimeTypes.IsJson"/>) hold JSON
/// text, images hold base64 (PNG) or markup (SVG).
/// </summary>
public sealed class MimeBundle : IReadOnlyDictionary<string, string>
{
    private readonly ImmutableSortedDictionary<string, string> _data;

    private MimeBundle(ImmutableSortedDictionary<string, string> data) => _data = data;

    /// <summary>A bundle with nothing in it.</summary>
    public static MimeBundle Empty { get; } = new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));

    /// <summary>A bundle holding one plain-text rendering.</summary>
    public static MimeBundle PlainText(string text) => Empty.With(MimeTypes.PlainText, text);

    /// <summary>Returns a bundle with <paramref name="mimeType"/> set to <paramref name="data"/>.</summary>
    public MimeBundle With(string mimeType, string data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        ArgumentNullException.ThrowIfNull(data);
        return new MimeBundle(_data.SetItem(mimeType, data));
    }

    /// <summary>Returns a bundle without <paramref name="mimeType"/>.</summary>
    public MimeBundle Without(string mimeType) => new(_data.Remove(mimeType));

    /// <inheritdoc />
    public string this[string key] => _data[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _data.Keys;

    /// <inheritdoc />
    public IEnumerable<string> Values => _data.Values;

    /// <inheritdoc />
    public int Count => _data.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _data.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out string value) => _data.TryGetValue(key, out value!);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _data.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => $"MimeBundle[{string.Join(", ", _data.Keys)}]";
}
