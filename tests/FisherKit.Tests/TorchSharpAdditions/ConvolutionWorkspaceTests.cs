using FisherKit.Metrics.Classification;
using FisherKit.Models;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// ConvolutionWorkspace bounds libtorch's im2col buffer per input from the network's convolutions and
/// the input size, and splits a batch so that one call stays within its budget; the joined outputs
/// equal one call on the whole batch.
/// </summary>
[Collection(LeakChecks.Name)] // runs alone: reads the process-wide live-tensor count
public class ConvolutionWorkspaceTests
{
    [Fact]
    public void The_bound_is_the_largest_unfolded_convolution_measured_by_a_probe_call()
    {
        using var cnn = ConvNetSpec.Benchmark().Build(0);
        cnn.train();
        using var x = rand(64, 1, 28, 28);
        // conv2: 32 input channels × 3 × 3 = 288 rows at 24 × 24 output positions, 4 bytes each.
        int calls = 0;
        var counter = ConvNetSpec.Layer(cnn, "conv1").register_forward_hook((m, i, o) => { calls++; return o; });
        Assert.Equal(288L * 24 * 24 * 4, ConvolutionWorkspace.UnfoldedBytesPerInput(cnn, x));
        Assert.Equal(288L * 24 * 24 * 4, ConvolutionWorkspace.UnfoldedBytesPerInput(cnn, x));   // the second time from the cache
        counter.remove();
        Assert.Equal(1, calls);                                                   // one probe call in all
        Assert.True(cnn.training, "the probe restores the mode");
        Assert.True(is_grad_enabled(), "the probe restores the gradient mode");
        Assert.Equal((int)(ConvolutionWorkspace.BudgetBytes / (288L * 24 * 24 * 4)), ConvolutionWorkspace.InputsPerCall(288L * 24 * 24 * 4, 256));
        Assert.Equal(8, ConvolutionWorkspace.InputsPerCall(288L * 24 * 24 * 4, 8));   // never more than asked
        Assert.Equal(1, ConvolutionWorkspace.InputsPerCall(1L << 40, 4));               // at least one input

        // A transposed convolution counts its output channels per group at its input size; a 1-D convolution its length.
        using var up = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ConvTranspose2d(4, 16, 5)).to(ScalarType.Float64);
        using var image = rand(2, 3, 10, 10, dtype: ScalarType.Float64);
        Assert.Equal(16L * 25 * 8 * 8 * 8, ConvolutionWorkspace.UnfoldedBytesPerInput(up, image));
        using var line = nn.Sequential(nn.Conv1d(6, 2, 7));
        using var signal = rand(2, 6, 50);
        Assert.Equal(6L * 7 * 44 * 4, ConvolutionWorkspace.UnfoldedBytesPerInput(line, signal));

        // No convolution: no buffer, the requested batch stays.
        using var mlp = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 2));
        using var rows = rand(100, 10);
        Assert.Equal(0, ConvolutionWorkspace.UnfoldedBytesPerInput(mlp, rows));
        Assert.Equal(100, ConvolutionWorkspace.InputsPerCall(mlp, rows, 100));
    }

    [Fact]
    public void Outputs_in_calls_of_the_workspace_size_equal_one_call_and_nothing_leaks()
    {
        using var cnn = ConvNetSpec.Benchmark().Build(3);
        cnn.eval();
        manual_seed(5);
        using var x = rand(70, 1, 28, 28);
        long before = LeakChecks.SettledCount();
        using (new WorkspaceBudget(288L * 24 * 24 * 4 * 16))   // 16 inputs per call where libtorch's own kernels run
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            if (!OneDnn.Enabled) Assert.Equal(16, ConvolutionWorkspace.InputsPerCall(cnn, x, 70));   // the split happens: 16, 16, 16, 16, 6
            var whole = cnn.call(x);
            var split = ConvolutionWorkspace.Call(cnn, x);
            Assert.Equal(whole.shape, split.shape);
            Assert.True(split.allclose(whole, rtol: 1e-5, atol: 1e-6), $"largest difference {(split - whole).abs().max().ToDouble():G3}");
            var logits = ClassifierEvaluation.Logits(cnn, x, batchSize: 256);
            Assert.True(logits.allclose(whole, rtol: 1e-5, atol: 1e-6));
        }
        Assert.Equal(before, Tensor.TotalCount);
    }
}
