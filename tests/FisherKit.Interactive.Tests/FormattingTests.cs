using FisherKit.Plotting;
using FisherKit.Plotting.Output;
using static TorchSharp.torch;

namespace FisherKit.Interactive.Tests;

/// <summary>The pieces of the .NET Interactive integration on their own (no kernel).</summary>
public sealed class FormattingTests
{
    [Fact]
    public void A_tensor_shows_its_summary_and_at_most_eight_values()
    {
        using var scope = NewDisposeScope();
        var t = arange(12, dtype: float32).reshape(3, 4);
        Assert.Equal("[3x4], type = Float32, device = cpu\nvalues (row-major): 0, 1, 2, 3, 4, 5, 6, 7, … (4 more)", TensorFormatting.Text(t));
        Assert.Equal("[3], type = Bool, device = cpu\nvalues: true, false, true", TensorFormatting.Text(tensor(new[] { true, false, true })));
        Assert.Equal("[2], type = Int64, device = cpu\nvalues: -3, 12345678901", TensorFormatting.Text(tensor(new[] { -3L, 12345678901L })));
        Assert.EndsWith("(no values)", TensorFormatting.Text(zeros(0, 3)), StringComparison.Ordinal);
        Assert.Contains("<code>[3x4], type = Float32, device = cpu</code>", TensorFormatting.Html(t), StringComparison.Ordinal);
    }

    [Fact]
    public void Tensors_of_every_dtype_and_shape_show_their_values()
    {
        using var scope = NewDisposeScope();
        // Int64 beyond 2^53 (ids, hashes, seeds) keeps every digit.
        Assert.Equal("[2], type = Int64, device = cpu\nvalues: 9007199254740993, -9223372036854775808",
            TensorFormatting.Text(tensor(new[] { 9007199254740993L, long.MinValue })));
        Assert.EndsWith("values: 255, 0", TensorFormatting.Text(tensor(new byte[] { 255, 0 })), StringComparison.Ordinal);
        Assert.EndsWith("values: -128", TensorFormatting.Text(tensor(new sbyte[] { -128 })), StringComparison.Ordinal);
        Assert.Equal("[], type = Float64, device = cpu\nvalues: 2.5", TensorFormatting.Text(tensor(2.5)));
        Assert.EndsWith("values: NaN, Infinity, -Infinity, -0", TensorFormatting.Text(tensor(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f })), StringComparison.Ordinal);
        Assert.EndsWith("values: 0.33325, 65504", TensorFormatting.Text(tensor(new[] { 1f / 3, 65504f }).to_type(ScalarType.Float16)), StringComparison.Ordinal);
        Assert.EndsWith("values: 0.33398", TensorFormatting.Text(tensor(new[] { 1f / 3 }).to_type(ScalarType.BFloat16)), StringComparison.Ordinal);
        Assert.EndsWith("values: 1, 2", TensorFormatting.Text(ones(2, requires_grad: true) * tensor(new[] { 1f, 2 })), StringComparison.Ordinal);
        Assert.EndsWith("values (row-major): 0, 2, 1, 3", TensorFormatting.Text(arange(4).reshape(2, 2).t()), StringComparison.Ordinal);
        Assert.Equal("[2], type = ComplexFloat32, device = cpu", TensorFormatting.Text(complex(ones(2), zeros(2))));
    }

    [Fact]
    public void The_preview_of_a_huge_view_copies_only_what_it_shows()
    {
        using var scope = NewDisposeScope();
        // 10^12 values (4 TB) as a view of 10^6: a preview through reshape(-1) copied the whole view.
        var big = arange(1_000_000, dtype: float32).expand(1_000_000, 1_000_000);
        Assert.Equal("[1000000x1000000], type = Float32, device = cpu\nvalues (row-major): 0, 1, 2, 3, 4, 5, 6, 7, … (999,999,999,992 more)",
            TensorFormatting.Text(big));
        Assert.EndsWith("values (row-major): 0, 0, 0, 0, 0, 0, 0, 0, … (999,999,999,992 more)", TensorFormatting.Text(big.t()), StringComparison.Ordinal);
        Assert.EndsWith("values (row-major): 0, 4, 8, 1, 5, 9, 2, 6, … (4 more)", TensorFormatting.Text(arange(12).reshape(3, 4).t()), StringComparison.Ordinal);
        Assert.EndsWith("values (row-major): 0, 12, 1, 13, 2, 14, 3, 15, … (16 more)", TensorFormatting.Text(arange(24).reshape(2, 3, 4).permute(1, 2, 0)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_tensor_says_so()
    {
        var t = ones(2);
        t.Dispose();
        Assert.Equal("Tensor (disposed)", TensorFormatting.Text(t));
    }

    [Fact]
    public void PlotlyJs_is_put_back_where_the_figure_fragment_carries_it()
    {
        Assert.True(PlotlyJs.IsAvailable, "plotly.js is not next to FisherKit.Plotting (environment/setup.sh fetches it)");
        var figure = Chart.Line(new double[] { 1, 2 }, new double[] { 3, 4 });
        var without = FigureHtml.Render(figure, false, "abc");
        Assert.False(FigureFormatting.CarriesPlotlyJs(without));
        Assert.Equal(FigureHtml.Render(figure, true, "abc"), FigureFormatting.WithPlotlyJs(without));
        Assert.True(FigureFormatting.CarriesPlotlyJs(FigureFormatting.WithPlotlyJs(without)));
    }

    [Fact]
    public void The_display_definition_calls_the_invocation_context_and_falls_back_to_the_kernels_display()
    {
        Assert.Contains("DisplayedValue display(object value, params string[] mimeTypes)", DisplayFunction.Definition, StringComparison.Ordinal);
        Assert.Contains("KernelInvocationContextExtensions.Display(", DisplayFunction.Definition, StringComparison.Ordinal);
        Assert.Contains("Microsoft.DotNet.Interactive.Kernel.display(value, mimeTypes)", DisplayFunction.Definition, StringComparison.Ordinal);
    }
}
