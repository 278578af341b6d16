namespace FisherKit.Plotting.Formatting;

/// <summary>A formatter for <typeparamref name="T"/> made from a delegate.</summary>
/// <typeparam name="T">The type formatted.</typeparam>
public sealed class TypeFormatter<T> : ITypeFormatter
{
    private readonly Func<T, TextWriter, bool> _format;

    /// <summary>Makes a formatter that may decline a value by returning false.</summary>
    public TypeFormatter(string mimeType, Func<T, TextWriter, bool> format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        ArgumentNullException.ThrowIfNull(format);
        MimeType = mimeType;
        _format = format;
    }

    /// <summary>Makes a formatter that always writes.</summary>
    public TypeFormatter(string mimeType, Action<T, TextWriter> format)
        : this(mimeType, (v, w) => { format(v, w); return true; })
    {
        ArgumentNullException.ThrowIfNull(format);
    }

    /// <inheritdoc />
    public Type Type => typeof(T);

    /// <inheritdoc />
    public string MimeType { get; }

    /// <inheritdoc />
    public bool Format(object instance, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return instance is T t && _format(t, writer);
    }

    /// <inheritdoc />
    public override string ToString() => $"TypeFormatter<{typeof(T).Name}>({MimeType})";
}
