using FisherKit.TorchSharpAdditions;
using TorchSharp.Modules;
using static FisherKit.TorchSharpAdditions.HeldScalars;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// <see cref="HeldBatchNorm"/> against TorchSharp's own batch norms: the same outputs, gradients and running
/// statistics, bit for bit, in training and evaluation mode; the same state names; and no unheld Scalar.
/// </summary>
public sealed class HeldBatchNormTests
{
    public static TheoryData<int, double?> Cases => new() { { 1, 0.1 }, { 2, 0.1 }, { 2, 0.0 }, { 2, null }, { 3, 0.3 } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Same_outputs_gradients_and_running_statistics_as_TorchSharps_batch_norm(int dims, double? momentum)
    {
        using var scope = NewDisposeScope();
        const int c = 3;
        BatchNorm theirs = dims switch
        {
            1 => nn.BatchNorm1d(c),
            2 => nn.BatchNorm2d(c),
            _ => nn.BatchNorm3d(c),
        };
        BatchNorm ours = dims switch
        {
            1 => HeldBatchNorm.BatchNorm1d(c),
            2 => HeldBatchNorm.BatchNorm2d(c),
            _ => HeldBatchNorm.BatchNorm3d(c),
        };
        theirs.momentum = ours.momentum = momentum;   // null: the cumulative average
        Assert.Equal(theirs.state_dict().Keys.Order(), ours.state_dict().Keys.Order());
        // Non-trivial affine parameters, equal on both sides.
        using (no_grad())
        {
            var w = rand(c, generator: new Generator(1)).add(Hold(0.5), One);
            var b = randn(c, generator: new Generator(2));
            theirs.weight!.copy_(w); ours.weight!.copy_(w);
            theirs.bias!.copy_(b); ours.bias!.copy_(b);
        }
        long[] shape = dims switch { 1 => [5, c, 4], 2 => [5, c, 4, 3], _ => [5, c, 2, 3, 2] };
        var generator = new Generator(3);
        for (int step = 0; step < 3; step++)
        {
            var x = randn(shape, generator: generator).mul(Hold(2.0)).add(Hold(step), One);
            var xa = x.detach().requires_grad_(); var xb = x.detach().requires_grad_();
            var ya = theirs.call(xa); var yb = ours.call(xb);
            Assert.True(Same(ya, yb), $"training step {step}: outputs differ");
            var g = randn(shape, generator: generator);
            ya.backward([g]); yb.backward([g]);
            Assert.True(Same(xa.grad!, xb.grad!), $"step {step}: input gradients differ");
            Assert.True(Same(theirs.weight!.grad!, ours.weight!.grad!), $"step {step}: weight gradients differ");
            Assert.True(Same(theirs.running_mean!, ours.running_mean!), $"step {step}: running means differ");
            Assert.True(Same(theirs.running_var!, ours.running_var!), $"step {step}: running variances differ");
            Assert.Equal(theirs.num_batches_tracked!.item<long>(), ours.num_batches_tracked!.item<long>());
        }
        Assert.Equal(3, ours.num_batches_tracked!.item<long>());
        theirs.eval(); ours.eval();
        var test = randn(shape, generator: generator);
        Assert.True(Same(theirs.call(test), ours.call(test)), "evaluation mode: outputs differ");
        Assert.Equal(3, ours.num_batches_tracked!.item<long>());   // not counted in evaluation mode
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.equal(b).all().item<bool>();

    [Fact]
    public void A_wrong_number_of_dimensions_is_named()
    {
        using var bn = HeldBatchNorm.BatchNorm2d(3);
        using var x = zeros(2, 3, 4);
        var e = Assert.Throws<ArgumentException>(() => bn.call(x));
        Assert.Contains("BatchNorm2d expects a 4D input; got 3D [2, 3, 4]", e.Message);
        using var bn1 = HeldBatchNorm.BatchNorm1d(3);
        using var y = zeros(2, 3, 4, 5);
        Assert.Contains("2D or 3D", Assert.Throws<ArgumentException>(() => bn1.call(y)).Message);
    }

    [Fact]
    public void The_audit_names_TorchSharps_batch_norms_and_not_the_held_one()
    {
        var modules = ScalarAudit.TorchSharpModulesMakingUnheldScalars();
        Assert.Contains("BatchNorm2d", modules);
        Assert.Contains("BatchNorm1d", modules);
        Assert.DoesNotContain("Linear", modules);
        Assert.DoesNotContain("Conv2d", modules);
        Assert.DoesNotContain("ReLU", modules);
        Assert.DoesNotContain(nameof(HeldBatchNorm), modules);   // FisherKit's, not TorchSharp's; its forward is audited with FisherKit
    }
}
