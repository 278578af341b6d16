using FisherKit.Uncertainty;
using FisherKit.Models;
using FisherKit.Training;

namespace FisherKit.Tests.Uncertainty;

[Collection(LeakChecks.Name)] // runs alone: initialises networks from the global random generator
public class WarmupTests
{
    [Fact]
    public void The_warmup_loss_trains_the_mean_by_squared_error_and_the_variance_on_detached_residuals()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = new UNet(new UNetOptions(2, Depth: 1, BaseWidth: 3, Head: RegressionHead.Gaussian));
        var output = net.call(randn(2, 2, 4, 4)).detach().requires_grad_();   // channel 0: μ, channel 1: σ²
        var target = randn(2, 1, 4, 4);
        var mask = tensor(Enumerable.Range(0, 16).Select(i => i % 3 != 0).ToArray(), [4, 4]);
        var (loss, reported) = RegressionLosses.WarmupLoss(net, output, target, mask);
        var g = SafeAutograd.grad(loss, output).to(float64).ToArray<double>();

        // Closed form: ∂/∂μ of the squared error, ∂/∂σ² of ½[log σ² + r²/σ²], averaged over the masked pixels.
        var o = output.detach().to(float64).ToArray<double>();
        var y = target.to(float64).ToArray<double>();
        var m = mask.ToArray<bool>();
        int count = 2 * m.Count(b => b);
        double mse = 0;
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < 16; p++)
            {
                int iMu = b * 32 + p, iVar = b * 32 + 16 + p;
                double mu = o[iMu], v = o[iVar], r = y[b * 16 + p] - mu;
                double gMu = m[p] ? -2 * r / count : 0, gVar = m[p] ? 0.5 * (1 / v - r * r / (v * v)) / count : 0;
                if (m[p]) mse += r * r / count;
                // float32 network output: agree to a relative 1e-5.
                Assert.True(Math.Abs(gMu - g[iMu]) <= 1e-5 * Math.Abs(gMu) + 1e-9, $"∂/∂μ at {iMu}: {g[iMu]} vs {gMu}");
                Assert.True(Math.Abs(gVar - g[iVar]) <= 1e-5 * Math.Abs(gVar) + 1e-9, $"∂/∂σ² at {iVar}: {g[iVar]} vs {gVar}");
            }
        Assert.Equal(mse, reported.ToDouble(), 6);
        Assert.False(reported.requires_grad);
    }

    [Fact]
    public void During_the_warmup_the_variance_head_learns_the_size_of_the_residuals()
    {
        // Targets ten times larger than the network's initial variance (≈ softplus(0) ≈ 0.7) can explain:
        // a head left untrained during the warm-up would sit two orders of magnitude below the residuals.
        using var data = new TinyTwiData();
        using var scope = NewDisposeScope();
        var train = new RegressionData(data.Inputs, data.Targets * 10, data.Mask);
        manual_seed(7);
        using var net = new UNet(new UNetOptions(data.Simulator.Channels, Depth: 2, BaseWidth: 8, Head: RegressionHead.Gaussian));
        var history = UNetTraining.Fit(net, train, null, new TrainingOptions { Epochs = 4, BatchSize = 8, LearningRate = 1e-2, WarmupEpochs = 4, Schedule = LearningRateSchedule.Cosine, Seed = 1 });
        Assert.Equal(4, history.EpochEnds.Count);
        Assert.All(history.EpochEnds, e => Assert.True(e.WarmUp));
        using var _ = no_grad();
        var (mu, variance) = net.Split(net.call(train.Inputs));
        double residual = RegressionLosses.MaskedMean((mu - train.Targets).square(), data.Mask).ToDouble();
        double predicted = RegressionLosses.MaskedMean(variance!, data.Mask).ToDouble();
        Assert.InRange(predicted / residual, 0.5, 2.0);
    }
}
