using System.Collections;
using System.Globalization;
using System.Reflection;

namespace FisherKit.Plotting.Formatting;

/// <summary>
/// The registry of formatters: turns any value into a <see cref="MimeBundle"/>. Libraries register
/// formatters for their types (<see cref="Register(ITypeFormatter)"/>, or declaratively with
/// <see cref="TypeFormatterSourceAttribute"/>); the notebook engine asks for bundles.
/// </summary>
/// <remarks>
/// For each MIME type the most specific formatter wins: one registered for the value's own class
/// beats one for a base class, which beats one for an interface; among equals the later
/// registration wins. Every value gets <c>text/plain</c>; sequences of records get an HTML table.
/// </remarks>
public static class Formatter
{
    private static readonly object Gate = new();
    private static readonly List<ITypeFormatter> Registered = [];
    private static readonly HashSet<Type> SourcesScanned = [];
    private static readonly HashSet<Type> SourcesCreated = [];

    /// <summary>Rows shown by the default HTML table and items by the default text of a sequence.</summary>
    public static int ListExpansionLimit { get; set; } = 20;

    /// <summary>Rows shown by the default HTML table of a sequence of records.</summary>
    public static int TableRowLimit { get; set; } = 100;

    static Formatter() => DefaultFormatters.RegisterAll(Registered);

    /// <summary>Adds a formatter; it takes precedence over earlier ones of the same specificity.</summary>
    public static void Register(ITypeFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (Gate) Registered.Add(formatter);
    }

    /// <summary>Adds a formatter for <typeparamref name="T"/> into <paramref name="mimeType"/>.</summary>
    public static void Register<T>(string mimeType, Action<T, TextWriter> format) =>
        Register(new TypeFormatter<T>(mimeType, format));

    /// <summary>Adds a formatter for <typeparamref name="T"/> into <paramref name="mimeType"/>.</summary>
    public static void Register<T>(string mimeType, Func<T, string> format)
    {
        ArgumentNullException.ThrowIfNull(format);
        Register(new TypeFormatter<T>(mimeType, (T v, TextWriter w) => w.Write(format(v))));
    }

    /// <summary>The MIME types a value of <paramref name="type"/> is rendered into, <c>text/plain</c> first.</summary>
    public static IReadOnlyList<string> MimeTypesFor(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        ScanSources(type);
        lock (Gate)
        {
            return Registered.Where(f => Applies(f.Type, type)).Select(f => f.MimeType)
                .Append(MimeTypes.PlainText).Distinct()
                .OrderBy(m => m == MimeTypes.PlainText ? 0 : 1).ThenBy(m => m, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Renders <paramref name="value"/> into one MIME type.</summary>
    /// <exception cref="ArgumentException">No formatter for this type produces <paramref name="mimeType"/>.</exception>
    public static string ToDisplayString(object? value, string mimeType = MimeTypes.PlainText)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        if (TryFormat(value, mimeType, out var text)) return text;
        throw new ArgumentException($"No formatter renders {value?.GetType().Name ?? "null"} as {mimeType}.", nameof(mimeType));
    }

    /// <summary>Renders <paramref name="value"/> into every MIME type registered for its type
    /// (or only into <paramref name="mimeTypes"/> when given).</summary>
    public static MimeBundle ToMimeBundle(object? value, IEnumerable<string>? mimeTypes = null)
    {
        var wanted = mimeTypes?.ToArray() is { Length: > 0 } m ? m : value is null ? [MimeTypes.PlainText] : MimeTypesFor(value.GetType());
        var bundle = MimeBundle.Empty;
        foreach (var mime in wanted)
            if (TryFormat(value, mime, out var text)) bundle = bundle.With(mime, text);
        if (!bundle.ContainsKey(MimeTypes.PlainText) && TryFormat(value, MimeTypes.PlainText, out var plain))
            bundle = bundle.With(MimeTypes.PlainText, plain);
        return bundle;
    }

    /// <summary>Tries to render <paramref name="value"/> into <paramref name="mimeType"/>.</summary>
    public static bool TryFormat(object? value, string mimeType, out string text)
    {
        ArgumentNullException.ThrowIfNull(mimeType);
        if (value is null)
        {
            text = "null";
            return mimeType == MimeTypes.PlainText;
        }
        var type = value.GetType();
        ScanSources(type);
        ITypeFormatter[] candidates;
        lock (Gate)
            candidates = Registered.Select((f, i) => (f, i))
                .Where(t => t.f.MimeType == mimeType && Applies(t.f.Type, type))
                .OrderBy(t => Distance(t.f.Type, type)).ThenByDescending(t => t.i)
                .Select(t => t.f).ToArray();
        foreach (var formatter in candidates)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            if (formatter.Format(value, writer))
            {
                text = writer.ToString();
                return true;
            }
        }
        text = "";
        return false;
    }

    /// <summary>Forgets formatters registered after start-up (tests).</summary>
    internal static void ResetToDefaults()
    {
        lock (Gate)
        {
            Registered.Clear();
            SourcesScanned.Clear();
            SourcesCreated.Clear();
            DefaultFormatters.RegisterAll(Registered);
        }
    }

    private static bool Applies(Type formatterType, Type valueType) =>
        formatterType.IsAssignableFrom(valueType) ||
        (formatterType.IsGenericTypeDefinition && ImplementsOpenGeneric(valueType, formatterType));

    private static bool ImplementsOpenGeneric(Type type, Type open) =>
        type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == open) ||
        (type.BaseType is { } b && ImplementsOpenGeneric(b, open));

    /// <summary>0 for the type itself, n for the n-th base class, large for interfaces and object.</summary>
    private static int Distance(Type formatterType, Type valueType)
    {
        if (formatterType == typeof(object)) return int.MaxValue;
        var d = 0;
        for (var t = valueType; t is not null; t = t.BaseType, d++)
            if (t == formatterType || (t.IsGenericType && t.GetGenericTypeDefinition() == formatterType)) return d;
        return 1000;
    }

    /// <summary>Registers the formatters named by <see cref="TypeFormatterSourceAttribute"/> on the type,
    /// its base classes and its interfaces, once per type. Attributes of other libraries that follow
    /// the same convention (matched by class name, as .NET Interactive does) are honoured too.</summary>
    private static void ScanSources(Type type)
    {
        lock (Gate)
            if (!SourcesScanned.Add(type)) return;
        var attributes = type.GetCustomAttributes(inherit: true)
            .Concat(type.GetInterfaces().SelectMany(i => i.GetCustomAttributes(inherit: false)))
            .Where(a => a.GetType().Name == nameof(TypeFormatterSourceAttribute));
        foreach (var attribute in attributes)
        {
            if (attribute.GetType().GetProperty(nameof(TypeFormatterSourceAttribute.FormatterSourceType))?.GetValue(attribute) is not Type sourceType)
                continue;
            lock (Gate)
                if (!SourcesCreated.Add(sourceType)) continue;
            var created = CreateFromSource(sourceType, type).ToArray();
            // Inserted first: a type's own formatters are its defaults, which explicit
            // registrations of the same specificity override.
            lock (Gate) Registered.InsertRange(0, created);
        }
    }

    private static IEnumerable<ITypeFormatter> CreateFromSource(Type sourceType, Type annotated)
    {
        var source = Activator.CreateInstance(sourceType)
            ?? throw new InvalidOperationException($"Formatter source {sourceType} could not be created.");
        var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)
            ?? throw new InvalidOperationException($"Formatter source {sourceType} named on {annotated} has no public CreateTypeFormatters() method.");
        if (create.Invoke(source, null) is not IEnumerable formatters) yield break;
        foreach (var f in formatters)
        {
            if (f is ITypeFormatter typed) { yield return typed; continue; }
            if (f is null) continue;
            // A formatter object of another library that follows the convention.
            var t = f.GetType();
            if (t.GetProperty("MimeType")?.GetValue(f) is not string mime) continue;
            var target = t.GetProperty("Type")?.GetValue(f) as Type ?? annotated;
            var format = t.GetMethod("Format", [typeof(object), typeof(TextWriter)]);
            if (format is null || format.ReturnType != typeof(bool)) continue;
            yield return new ConventionFormatter(target, mime, (o, w) => (bool)format.Invoke(f, [o, w])!);
        }
    }

    private sealed class ConventionFormatter(Type type, string mimeType, Func<object, TextWriter, bool> format) : ITypeFormatter
    {
        public Type Type { get; } = type;
        public string MimeType { get; } = mimeType;
        public bool Format(object instance, TextWriter writer) => format(instance, writer);
    }
}
