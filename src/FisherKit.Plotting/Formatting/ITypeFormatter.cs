namespace FisherKit.Plotting.Formatting;

/// <summary>
/// Renders values of one type into one MIME type. The member names (<see cref="Type"/>,
/// <see cref="MimeType"/>, <see cref="Format"/>) follow the convention .NET Interactive looks for
/// on objects returned by a formatter source, so the same formatter objects serve both hosts.
/// </summary>
public interface ITypeFormatter
{
    /// <summary>The type formatted (instances of derived types and implementations are formatted too).</summary>
    Type Type { get; }

    /// <summary>The MIME type produced.</summary>
    string MimeType { get; }

    /// <summary>Writes <paramref name="instance"/>; returns false when this formatter declines it.</summary>
    bool Format(object instance, TextWriter writer);
}
