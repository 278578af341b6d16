namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>The engine check FisherKit makes on first use: float32 convolution gradients are right afterwards, whatever the CPU.</summary>
public sealed class OneDnnTests
{
    [Fact]
    public void After_the_check_float32_convolution_gradients_agree_with_float64()
    {
        OneDnn.EnsureCorrectConvolutions();
        Assert.NotNull(OneDnn.Diagnosis);
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        // The shape of the fault's first report: a 3×3 convolution of (40, 4, 6, 6) to 6 channels.
        var x64 = randn([40, 4, 6, 6], dtype: ScalarType.Float64, generator: generator);
        var w64 = randn([6, 4, 3, 3], dtype: ScalarType.Float64, generator: generator);
        var g64 = randn([40, 6, 4, 4], dtype: ScalarType.Float64, generator: generator);
        Tensor InputGradient(ScalarType dtype)
        {
            var x = x64.to(dtype).requires_grad_();
            var y = nn.functional.conv2d(x, w64.to(dtype));
            return SafeAutograd.grad([y], [x], [g64.to(dtype)])[0]!.to(ScalarType.Float64);
        }
        var exact = InputGradient(ScalarType.Float64);
        for (int run = 0; run < 5; run++)
        {
            var single = InputGradient(ScalarType.Float32);
            var relative = (single - exact).abs().max().ToDouble() / exact.abs().max().ToDouble();
            Assert.True(relative < 1e-5, $"run {run}: float32 input gradient off by {relative:G3} (relative); {OneDnn.Diagnosis}");
        }
    }

    [Fact]
    public void The_check_runs_once_and_reports_what_it_found()
    {
        var first = OneDnn.EnsureCorrectConvolutions();
        var diagnosis = OneDnn.Diagnosis;
        Assert.Equal(first, OneDnn.EnsureCorrectConvolutions());
        Assert.Same(diagnosis, OneDnn.Diagnosis);
        Assert.Equal(first, OneDnn.Enabled);
        Assert.StartsWith("oneDNN", diagnosis);
    }
}

/// <summary>The engine description a notebook's set-up cell shows.</summary>
public sealed class TorchEngineTests
{
    [Fact]
    public void Describe_names_versions_devices_and_the_onednn_check()
    {
        var text = TorchEngine.Describe();
        Assert.StartsWith("TorchSharp 0.107.0, libtorch 2.10", text);
        Assert.Contains("CPU threads", text);
        Assert.Contains(OneDnn.Diagnosis!, text);
        // The test host runs TorchSharp from its own output folder, not a package folder: nothing to pre-load.
        Assert.Contains("application folder", TorchEngine.NativeLibraries);
    }
}
