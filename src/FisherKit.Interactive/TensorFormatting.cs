using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;
using InteractiveFormatter = Microsoft.DotNet.Interactive.Formatting.Formatter;
using MimeTypes = FisherKit.Plotting.Formatting.MimeTypes;

namespace FisherKit.Interactive;

/// <summary>
/// Tensors in .NET Interactive: TorchSharp's one-line summary (shape, dtype, device, as FisherKit's engine
/// shows a tensor) and a preview of at most <see cref="PreviewLimit"/> values, as text and as HTML. Replaces
/// .NET Interactive's default, a tree of the tensor's properties that calls every getter (each one a native
/// call, some of them allocating tensors). Tensors inside tuples, records and lists use it too.
/// </summary>
internal static class TensorFormatting
{
    /// <summary>Values shown at most.</summary>
    public const int PreviewLimit = 8;

    public static void Register()
    {
        InteractiveFormatter.Register<Tensor>((t, w) => w.Write(Text(t)), MimeTypes.PlainText);
        InteractiveFormatter.Register<Tensor>((t, w) => w.Write(Html(t)), MimeTypes.Html);
        // The type's own formatter source (TypeFormatterSourceAttribute) is read on first use and sets its
        // preferred MIME types then; read it now, so that these, set later, win.
        _ = InteractiveFormatter.GetPreferredMimeTypesFor(typeof(Tensor));
        InteractiveFormatter.SetPreferredMimeTypesFor(typeof(Tensor), MimeTypes.Html, MimeTypes.PlainText);
    }

    /// <summary>"[3x4], type = Float32, device = cpu" and, on a second line, the first values.</summary>
    internal static string Text(Tensor t)
    {
        string summary;
        try { summary = t.ToString(); }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or ArgumentException)
        {
            return "Tensor (disposed)";
        }
        var preview = Preview(t);
        return preview.Length == 0 ? summary : summary + "\n" + preview;
    }

    internal static string Html(Tensor t)
    {
        var text = Text(t);
        var lines = text.Split('\n', 2);
        var sb = new StringBuilder("<div class=\"fisherkit-tensor\"><code>").Append(WebUtility.HtmlEncode(lines[0])).Append("</code>");
        if (lines.Length > 1) sb.Append("<pre style=\"margin:0.2em 0 0 0\">").Append(WebUtility.HtmlEncode(lines[1])).Append("</pre>");
        return sb.Append("</div>").ToString();
    }

    /// <summary>The first values in storage order (row-major), "… (n more)" after them; empty for tensors whose
    /// values cannot be read as numbers (complex, quantized) or that have none.</summary>
    private static string Preview(Tensor t)
    {
        try
        {
            var count = t.numel();
            if (count == 0) return "(no values)";
            if (t.is_complex() || t.is_quantized()) return "";
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var take = (int)Math.Min(count, PreviewLimit);
            var head = Leading(t.detach(), take).reshape(-1).narrow(0, 0, take).cpu();
            var kind = head.dtype;
            // Integers are read as Int64: through Float64, values beyond 2^53 (ids, hashes, seeds) lost digits.
            string[] values = kind == ScalarType.Bool
                ? head.data<bool>().ToArray().Select(b => b ? "true" : "false").ToArray()
                : is_integral(kind)
                    ? head.to_type(ScalarType.Int64).data<long>().ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()
                    : head.to_type(ScalarType.Float64).data<double>().ToArray().Select(v => Number(v, kind)).ToArray();
            var more = count - take;
            var prefix = t.dim() > 1 ? "values (row-major): " : "values: ";
            return prefix + string.Join(", ", values) + (more > 0 ? string.Create(CultureInfo.InvariantCulture, $", … ({more:N0} more)") : "");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or ExternalException or NotSupportedException)
        {
            return "";
        }
    }

    /// <summary>The smallest leading block of <paramref name="t"/> that holds its first <paramref name="take"/> values
    /// in row-major order: reshaping all of a transposed or expanded tensor would copy every value.</summary>
    private static Tensor Leading(Tensor t, long take)
    {
        var shape = t.shape;
        var inner = t.numel();
        for (var d = 0; d < shape.Length; d++)
        {
            inner /= shape[d];
            var needed = (take + inner - 1) / inner;
            t = t.narrow(d, 0, Math.Min(shape[d], needed));
            if (needed > 1) break;
        }
        return t;
    }

    private static string Number(double v, ScalarType kind) => kind switch
    {
        ScalarType.Float64 => v.ToString("G8", CultureInfo.InvariantCulture),
        _ => v.ToString("G5", CultureInfo.InvariantCulture),
    };
}
