namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// ConvolutionGradients.Conv2dWeight, and the per-input weight gradients and per-input convolutions of a
/// batch by every method, equal autograd's weight gradient of conv2d for each input alone and conv2d of
/// each input with its own weight (float64, 10⁻¹²; float32 to its precision) for strides, paddings,
/// dilations and kernels of every shape, non-square inputs, inputs whose last rows the stride skips, K
/// objectives stacked as output channels, and batches taken in chunks.
/// </summary>
public class ConvolutionGradientsTests
{
    /// <summary>C, O, H, W, kh, kw, stride, padding, dilation.</summary>
    public static TheoryData<int, int, int, int, int, int, long[], long[], long[]> Cases => new()
    {
        { 1, 1, 5, 5, 3, 3, [1, 1], [0, 0], [1, 1] },
        { 3, 4, 7, 9, 3, 3, [1, 1], [1, 1], [1, 1] },
        { 2, 3, 8, 6, 3, 2, [2, 2], [0, 0], [1, 1] },       // non-square kernel, stride 2
        { 2, 3, 9, 7, 3, 3, [2, 3], [1, 0], [1, 1] },       // rows and columns the stride skips
        { 3, 2, 10, 11, 3, 2, [1, 2], [2, 1], [2, 3] },     // dilation, asymmetric everything
        { 1, 5, 6, 13, 1, 4, [3, 1], [0, 2], [1, 2] },
        { 4, 2, 5, 5, 5, 5, [1, 1], [2, 2], [1, 1] },       // kernel as large as the input
        { 2, 2, 12, 4, 2, 2, [4, 2], [1, 1], [3, 1] },
    };

    private static Tensor Autograd(Tensor x, Tensor weight, Tensor gradOutput, long[] stride, long[] padding, long[] dilation)
    {
        var w = weight.detach().requires_grad_();
        var y = nn.functional.conv2d(x, w, null, strides: stride, padding: padding, dilation: dilation);
        Assert.Equal(y.shape, gradOutput.shape);
        return SafeAutograd.grad([y], [w], [gradOutput])[0]!;
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var (e, a) = (expected.ToDoubleArray(), actual.ToDoubleArray());
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-12 * (1 + Math.Abs(e[i])), $"element {i}: autograd {e[i]}, Conv2dWeight {a[i]}");
    }

    private static long OutputSize(long n, long k, long s, long p, long d) => (n + 2 * p - d * (k - 1) - 1) / s + 1;

    [Theory, MemberData(nameof(Cases))]
    public void The_weight_gradient_equals_autograds(int c, int o, int h, int w, int kh, int kw, long[] stride, long[] padding, long[] dilation)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(17);
        var x = randn([1, c, h, w], dtype: float64, generator: g);
        var weight = randn([o, c, kh, kw], dtype: float64, generator: g);
        var gy = randn([1, o, OutputSize(h, kh, stride[0], padding[0], dilation[0]), OutputSize(w, kw, stride[1], padding[1], dilation[1])], dtype: float64, generator: g);
        var expected = Autograd(x, weight, gy, stride, padding, dilation);
        AssertClose(expected, ConvolutionGradients.Conv2dWeight(x, [kh, kw], gy, stride, padding, dilation));
    }

    [Fact]
    public void K_objectives_stacked_as_output_channels_give_K_weight_gradients()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        const int K = 4, C = 3, O = 2;
        long[] stride = [2, 1], padding = [1, 2], dilation = [1, 2];
        var x = randn([1, C, 9, 8], dtype: float64, generator: g);
        var weight = randn([O, C, 3, 3], dtype: float64, generator: g);
        long ho = OutputSize(9, 3, 2, 1, 1), wo = OutputSize(8, 3, 1, 2, 2);
        var gys = Enumerable.Range(0, K).Select(_ => randn([1, O, ho, wo], dtype: float64, generator: g)).ToList();
        var stacked = ConvolutionGradients.Conv2dWeight(x, [3, 3], cat(gys, 1), stride, padding, dilation);   // (K·O, C, 3, 3)
        Assert.Equal([K * O, C, 3, 3], stacked.shape);
        var perObjective = stacked.reshape(K, O, C, 3, 3);
        for (int k = 0; k < K; k++)
            AssertClose(Autograd(x, weight, gys[k], stride, padding, dilation), perObjective[k]);
    }

    [Fact]
    public void Float32_agrees_with_autograd_to_float32_precision()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(8);
        var x = randn([1, 2, 6, 7], generator: g);
        var gy = randn([1, 3, 4, 5], generator: g);
        var expected = Autograd(x, randn([3, 2, 3, 3], generator: g), gy, [1, 1], [0, 0], [1, 1]);
        var actual = ConvolutionGradients.Conv2dWeight(x, [3, 3], gy, [1, 1], [0, 0], [1, 1]);
        Assert.Equal(float32, actual.dtype);
        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Bad_arguments_name_the_problem()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 2, 6, 6, dtype: float64);
        var gy = randn(1, 3, 4, 4, dtype: float64);
        long[] one = [1, 1], zero = [0, 0];
        Assert.Contains("(1, C, H, W)", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeight(randn(2, 2, 6, 6, dtype: float64), [3, 3], gy, one, zero, one)).Message);
        Assert.Contains("(1, O, Ho, Wo)", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeight(x, [3, 3], randn(3, 4, 4, dtype: float64), one, zero, one)).Message);
        Assert.Contains("two entries", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeight(x, [3], gy, one, zero, one)).Message);
        Assert.Contains("Float32", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeight(x, [3, 3], gy.to(float32), one, zero, one)).Message);
        Assert.Contains("≥ 1", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeight(x, [3, 3], gy, [0, 1], zero, one)).Message);
        // an output gradient of another size than the convolution's output, larger or smaller
        var small = Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeight(x, [3, 3], randn(1, 3, 3, 4, dtype: float64), one, zero, one));
        Assert.Contains("[1, 3, 3, 4]", small.Message);
        Assert.Contains("Ho = 4", small.Message);
        Assert.Contains("Wo = 4", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeight(x, [3, 3], randn(1, 3, 4, 9, dtype: float64), one, zero, one)).Message);
        Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeight(x, [7, 3], randn(1, 3, 0, 4, dtype: float64), one, zero, one));
    }

    public static TheoryData<PerInputConvolutionMethod> Methods => new()
    {
        PerInputConvolutionMethod.Auto, PerInputConvolutionMethod.Unfold, PerInputConvolutionMethod.PerInputConvolution, PerInputConvolutionMethod.GroupedConvolution,
    };

    /// <summary>For each input of a batch alone: autograd's weight gradient and conv2d with its own weight.</summary>
    private static (Tensor Gradients, Tensor Outputs) PerInputReference(Tensor x, Tensor weight, Tensor gy, Tensor ownWeights, long[] stride, long[] padding, long[] dilation)
    {
        var grads = new List<Tensor>();
        var outs = new List<Tensor>();
        for (long i = 0; i < x.shape[0]; i++)
        {
            grads.Add(Autograd(x.narrow(0, i, 1), weight, gy.narrow(0, i, 1), stride, padding, dilation).unsqueeze(0));
            outs.Add(nn.functional.conv2d(x.narrow(0, i, 1), ownWeights[i], null, stride, padding, dilation));
        }
        return (cat(grads, 0), cat(outs, 0));
    }

    [Fact]
    public void Per_input_gradients_and_convolutions_equal_autograd_and_conv2d_for_every_method()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(23);
        const int N = 3;
        foreach (var row in Cases)
        {
            var (c, o, h, w, kh, kw) = ((int)row[0], (int)row[1], (int)row[2], (int)row[3], (int)row[4], (int)row[5]);
            var (stride, padding, dilation) = ((long[])row[6], (long[])row[7], (long[])row[8]);
            long ho = OutputSize(h, kh, stride[0], padding[0], dilation[0]), wo = OutputSize(w, kw, stride[1], padding[1], dilation[1]);
            var x = randn([N, c, h, w], dtype: float64, generator: g);
            var weight = randn([o, c, kh, kw], dtype: float64, generator: g);
            var gy = randn([N, o, ho, wo], dtype: float64, generator: g);
            var own = randn([N, o, c, kh, kw], dtype: float64, generator: g);
            var (expectedGrads, expectedOuts) = PerInputReference(x, weight, gy, own, stride, padding, dilation);
            var (_, expectedOwnGradOuts) = PerInputReference(x, weight, gy, expectedGrads, stride, padding, dilation);
            foreach (var method in Methods)
            {
                AssertClose(expectedGrads, ConvolutionGradients.Conv2dWeightPerInput(x, [kh, kw], gy, stride, padding, dilation, method));
                AssertClose(expectedOuts, ConvolutionGradients.Conv2dPerInput(x, own, stride, padding, dilation, method));
                var (grads, outs) = ConvolutionGradients.Conv2dWeightPerInputAndOutputs(x, [kh, kw], gy, stride, padding, dilation, method);
                AssertClose(expectedGrads, grads);
                AssertClose(expectedOwnGradOuts, outs);
            }
        }
    }

    [Theory, MemberData(nameof(Methods))]
    public void Per_input_float32_agrees_with_float64_autograd_to_float32_precision(PerInputConvolutionMethod method)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(29);
        var x = randn([5, 4, 9, 9], dtype: float64, generator: g).relu();
        var gy = randn([5, 6, 7, 7], dtype: float64, generator: g);
        var (expectedGrads, _) = PerInputReference(x, randn([6, 4, 3, 3], dtype: float64, generator: g), gy, zeros([5, 6, 4, 3, 3], dtype: float64), [1, 1], [0, 0], [1, 1]);
        var (_, expectedOwn) = PerInputReference(x, zeros([6, 4, 3, 3], dtype: float64), gy, expectedGrads, [1, 1], [0, 0], [1, 1]);
        var (grads, outs) = ConvolutionGradients.Conv2dWeightPerInputAndOutputs(x.to(float32), [3, 3], gy.to(float32), [1, 1], [0, 0], [1, 1], method);
        Assert.Equal(float32, grads.dtype);
        double Relative(Tensor a, Tensor e) => (a.to(float64) - e).abs().max().ToDouble() / e.abs().max().ToDouble();
        Assert.True(Relative(grads, expectedGrads) < 1e-5, $"gradients off by {Relative(grads, expectedGrads):G3}");
        Assert.True(Relative(outs, expectedOwn) < 1e-5, $"convolutions off by {Relative(outs, expectedOwn):G3}");
    }

    [Fact]
    public void Batches_taken_in_chunks_give_the_same_results()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(31);
        var x = randn([7, 3, 8, 8], dtype: float64, generator: g);
        var gy = randn([7, 5, 4, 4], dtype: float64, generator: g);
        long[] stride = [2, 2], padding = [1, 1], dilation = [1, 1];
        var whole = ConvolutionGradients.Conv2dWeightPerInputAndOutputs(x, [3, 3], gy, stride, padding, dilation, PerInputConvolutionMethod.Unfold);
        var budget = ConvolutionGradients.UnfoldBudgetBytes;
        try
        {
            ConvolutionGradients.UnfoldBudgetBytes = 2 * 3 * 9 * 16 * sizeof(double);   // two inputs per chunk: chunks of 2, 2, 2, 1
            var chunked = ConvolutionGradients.Conv2dWeightPerInputAndOutputs(x, [3, 3], gy, stride, padding, dilation, PerInputConvolutionMethod.Unfold);
            AssertClose(whole.Gradients, chunked.Gradients);
            AssertClose(whole.Outputs, chunked.Outputs);
            AssertClose(ConvolutionGradients.Conv2dPerInput(x, whole.Gradients, stride, padding, dilation, PerInputConvolutionMethod.PerInputConvolution),
                        ConvolutionGradients.Conv2dPerInput(x, whole.Gradients, stride, padding, dilation, PerInputConvolutionMethod.Unfold));
        }
        finally { ConvolutionGradients.UnfoldBudgetBytes = budget; }
    }

    [Fact]
    public void Auto_uses_grouped_convolutions_only_where_onednn_runs_them()
    {
        using var scope = NewDisposeScope();
        var x64 = zeros(1, 1, 3, 3, dtype: float64);
        Assert.Equal(PerInputConvolutionMethod.Unfold, ConvolutionGradients.ResolveOutputs(PerInputConvolutionMethod.Auto, x64));
        Assert.Equal(OneDnn.Enabled ? PerInputConvolutionMethod.GroupedConvolution : PerInputConvolutionMethod.Unfold,
                     ConvolutionGradients.ResolveOutputs(PerInputConvolutionMethod.Auto, x64.to(float32)));
        Assert.Equal(PerInputConvolutionMethod.PerInputConvolution, ConvolutionGradients.ResolveOutputs(PerInputConvolutionMethod.PerInputConvolution, x64));
    }

    [Fact]
    public void Bad_batches_name_the_problem()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 2, 6, 6, dtype: float64);
        long[] one = [1, 1], zero = [0, 0];
        Assert.Contains("N = 2", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeightPerInput(x, [3, 3], randn(3, 3, 4, 4, dtype: float64), one, zero, one)).Message);
        Assert.Contains("(N, C, H, W)", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeightPerInput(randn(2, 6, 6, dtype: float64), [3, 3], randn(2, 3, 4, 4, dtype: float64), one, zero, one)).Message);
        Assert.Contains("Wo = 4", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dWeightPerInputAndOutputs(x, [3, 3], randn(2, 3, 4, 5, dtype: float64), one, zero, one)).Message);
        Assert.Contains("(N, O, C, kh, kw)", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dPerInput(x, randn([3, 3, 2, 3, 3], dtype: float64), one, zero, one)).Message);
        Assert.Contains("no output", Assert.Throws<ArgumentException>(() => ConvolutionGradients.Conv2dPerInput(x, randn([2, 3, 2, 7, 7], dtype: float64), one, zero, one)).Message);
    }
}
