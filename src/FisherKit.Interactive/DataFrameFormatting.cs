using System.Runtime.CompilerServices;
using FisherKit.Plotting.Tables;
using Microsoft.Data.Analysis;
using InteractiveFormatter = Microsoft.DotNet.Interactive.Formatting.Formatter;
using MimeTypes = FisherKit.Plotting.Formatting.MimeTypes;

namespace FisherKit.Interactive;

/// <summary>
/// DataFrames in .NET Interactive: the HTML table of <see cref="DataFrameHtml"/> (the markup of the
/// Microsoft.Data.Analysis kernel extension, which a notebook that references FisherKit by path does not load)
/// and its text (<see cref="DataFrameText"/>), as FisherKit's engine, kernel and report show them.
/// </summary>
internal static class DataFrameFormatting
{
    /// <summary>Registers the formatters; false when Microsoft.Data.Analysis cannot be loaded here.</summary>
    public static bool Register()
    {
        try
        {
            RegisterCore();
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterCore()
    {
        InteractiveFormatter.Register<DataFrame>((table, writer) => writer.Write(table.ToHtml()), MimeTypes.Html);
        InteractiveFormatter.Register<DataFrame>((table, writer) => writer.Write(table.ToText()), MimeTypes.PlainText);
        _ = InteractiveFormatter.GetPreferredMimeTypesFor(typeof(DataFrame));
        InteractiveFormatter.SetPreferredMimeTypesFor(typeof(DataFrame), MimeTypes.Html, MimeTypes.PlainText);
    }
}
