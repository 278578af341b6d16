namespace FisherKit.Plotting.Formatting;

/// <summary>
/// Names the class that supplies the formatters of the type it is applied to. The formatter
/// source has a public parameterless constructor and a public method <c>CreateTypeFormatters()</c>
/// returning <see cref="ITypeFormatter"/> objects.
/// </summary>
/// <remarks>
/// .NET Interactive discovers formatters by the same convention, matching the attribute by its
/// class name (<c>TypeFormatterSourceAttribute</c>) and the formatters by their members
/// (<c>MimeType</c>, <c>Type</c>, <c>Format(object, TextWriter)</c>). A type annotated with this
/// attribute therefore renders in a .NET Interactive kernel without referencing its packages, and
/// in FisherKit's own engine, where <see cref="Formatter"/> reads the same attribute.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, AllowMultiple = true, Inherited = true)]
public sealed class TypeFormatterSourceAttribute : Attribute
{
    /// <summary>Names the formatter source.</summary>
    public TypeFormatterSourceAttribute(Type formatterSourceType)
    {
        ArgumentNullException.ThrowIfNull(formatterSourceType);
        FormatterSourceType = formatterSourceType;
    }

    /// <summary>The class with <c>CreateTypeFormatters()</c>.</summary>
    public Type FormatterSourceType { get; }

    /// <summary>MIME types the front end should prefer for this type, most preferred first.</summary>
    public string[]? PreferredMimeTypes { get; set; }
}
