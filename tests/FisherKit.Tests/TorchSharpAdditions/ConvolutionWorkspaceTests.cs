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
    public void The_bound_is_the_largest_unfolded_convolution_at_the_input_size()
    {
        using var cnn = ConvNetSpec.Benchmark().Build(0);
        // conv2: 32 input channels × 3 × 3 = 288 rows, bounded with 28 × 28 positions, 4 bytes each.
        Assert.Equal(288L * 28 * 28 * 4, ConvolutionWorkspace.UnfoldedBytesPerInput(cnn, [64, 1, 28, 28], 4));
        Assert.Equal((int)(ConvolutionWorkspace.BudgetBytes / (288L * 28 * 28 * 4)), ConvolutionWorkspace.InputsPerCall(cnn, [256, 1, 28, 28], 4, 256));
        Assert.Equal(8, ConvolutionWorkspace.InputsPerCall(cnn, [256, 1, 28, 28], 4, 8));            // never more than asked
        Assert.Equal(1, ConvolutionWorkspace.InputsPerCall(cnn, [4, 1, 4000, 4000], 4, 4));          // at least one input

        // Transposed convolutions count their output channels per group; 1-D convolutions their length.
        using var up = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ConvTranspose2d(4, 16, 5));
        Assert.Equal(16L * 25 * 10 * 10 * 8, ConvolutionWorkspace.UnfoldedBytesPerInput(up, [2, 3, 10, 10], 8));
        using var line = nn.Sequential(nn.Conv1d(6, 2, 7));
        Assert.Equal(6L * 7 * 50 * 4, ConvolutionWorkspace.UnfoldedBytesPerInput(line, [2, 6, 50], 4));

        // No convolution: the requested batch stays.
        using var mlp = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 2));
        Assert.Equal(0, ConvolutionWorkspace.UnfoldedBytesPerInput(mlp, [100, 10], 4));
        Assert.Equal(100, ConvolutionWorkspace.InputsPerCall(mlp, [100, 10], 4, 100));
    }

    [Fact]
    public void Outputs_in_calls_of_the_workspace_size_equal_one_call_and_nothing_leaks()
    {
        using var cnn = ConvNetSpec.Benchmark().Build(3);
        cnn.eval();
        manual_seed(5);
        using var x = rand(70, 1, 28, 28);
        long before = LeakChecks.SettledCount();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
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
