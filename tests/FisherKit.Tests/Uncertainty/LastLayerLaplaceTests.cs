using FisherKit.Uncertainty;
using FisherKit.Models;
using FisherKit.Training;
using FisherKit.Tests.TorchSharpAdditions;

namespace FisherKit.Tests.Uncertainty;

public class LastLayerLaplaceTests
{
    // Two small U-Nets with a Gaussian head, one epoch on the tiny interferometer data.
    private static readonly EnsembleOptions TwoGaussianMembers = new(2, new UNetOptions(9, Depth: 2, BaseWidth: 4, Head: RegressionHead.Gaussian),
        new TrainingOptions { Epochs = 1, BatchSize = 8, Schedule = LearningRateSchedule.Cosine });

    [Fact]
    public void The_last_layer_covariance_is_the_inverse_autograd_hessian_of_the_negative_log_posterior()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var net = new UNet(new UNetOptions(2, Depth: 1, BaseWidth: 3));
        net.eval();
        var x = randn(5, 2, 4, 4);
        var y = randn(5, 1, 4, 4);
        var mask = tensor(Enumerable.Range(0, 16).Select(i => i % 4 != 1).ToArray(), [4, 4]);
        var data = new RegressionData(x, y, mask);
        const double lambda = 0.7;
        var laplace = LastLayerLaplace.Fit(net, data, lambda);

        // Noise variance: mean squared residual over the masked pixels.
        var m = mask.to(float64);
        double v = (((net.call(x).to(float64) - y.to(float64)).square() * m).sum() / (m.sum() * 5)).ToDouble();
        Assert.Equal(v, laplace.NoiseVariances[0], 6);

        // Negative log posterior in θ = (out.weight, out.bias) around θ̂; Hessian by double backward, float64.
        net.to(float64);
        var x64 = x.to(float64); var y64 = y.to(float64);
        var w0 = net.state_dict()["out.weight"].detach().clone();
        var b0 = net.state_dict()["out.bias"].detach().clone();
        var theta = cat([w0.reshape(-1), b0], 0).requires_grad_();
        // The output layer is a 1×1 convolution of the last hidden features φ, which do not depend on θ.
        // (ModuleTree.WithParameterValues substitutes constants, so θ enters through the functional convolution.)
        var phi = net.ForwardWithFeatures(x64).features.detach();
        Assert.True(allclose(nn.functional.conv2d(phi, w0, b0), net.call(x64), rtol: 1e-12, atol: 1e-12), "φ is the output layer's input");
        Tensor Loss(Tensor t)
        {
            var mu = nn.functional.conv2d(phi, t.narrow(0, 0, 3).reshape(1, 3, 1, 1), t.narrow(0, 3, 1));
            var theta0 = cat([w0.reshape(-1), b0], 0);
            return ((mu - y64).square() * m).sum() / (2 * v) + (t - theta0).square().sum() * (lambda / 2);
        }
        var g = SafeAutograd.grad([Loss(theta)], [theta], create_graph: true)[0]!;
        var rows = Enumerable.Range(0, 4).Select(i => SafeAutograd.grad([g[i]], [theta], retain_graph: true)[0]!).ToArray();
        var hessian = stack(rows, 0);
        var expected = linalg.inv(hessian);
        var got = laplace.Covariance(0);
        Assert.True(allclose(got, expected, rtol: 1e-4, atol: 1e-9), $"covariance {got} vs {expected}");
        Assert.Equal(lambda, laplace.PriorPrecision);
    }

    [Fact]
    public void Fits_and_predictions_name_mismatched_channels_mask_values_dtypes_and_bad_inputs()
    {
        using var scope = NewDisposeScope();
        var options = new UNetOptions(2, Depth: 1, BaseWidth: 3);
        using var one = new UNet(options);
        using var two = new UNet(options with { OutChannels = 2 });
        var x = randn(4, 2, 4, 4);
        // The targets' channels against the network's outputs (2 against 1 broadcast silently before).
        Assert.Contains("3 channels but the network predicts 1",
            Assert.Throws<ArgumentException>(() => LastLayerLaplace.Fit(one, new RegressionData(x, randn(4, 3, 4, 4)))).Message);
        Assert.Contains("1 channels but the network predicts 2",
            Assert.Throws<ArgumentException>(() => LastLayerLaplace.Fit(two, new RegressionData(x, randn(4, 1, 4, 4)))).Message);
        // A mask selects pixels; 2s weighted H by 2.
        Assert.Contains("only 0 and 1", Assert.Throws<ArgumentException>(() => new RegressionData(x, randn(4, 2, 4, 4), full(4, 4, 2.0))).Message);
        var laplace = LastLayerLaplace.Fit(two, new RegressionData(x, randn(4, 2, 4, 4), ones(4, 4)));
        Assert.Contains("0 to 1", Assert.Throws<ArgumentOutOfRangeException>(() => laplace.Covariance(5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => laplace.Covariance(-1));
        Assert.Contains("Float64 but the U-Net's parameters are Float32", Assert.Throws<ArgumentException>(() => laplace.Variance(x.to(float64))).Message);
        Assert.Contains("no sample", Assert.Throws<ArgumentException>(() => laplace.Variance(randn(0, 2, 4, 4))).Message);

        var ensemble = DeepEnsemble.FromMembers(new EnsembleOptions(2, options, new TrainingOptions()), [new UNet(options), new UNet(options)]);
        Assert.Contains("no sample", Assert.Throws<ArgumentException>(() => ensemble.Predict(randn(0, 2, 4, 4))).Message);
        Assert.Contains("Float64 but the U-Net's parameters are Float32", Assert.Throws<ArgumentException>(() => ensemble.Predict(x.to(float64))).Message);
        var nan = x.clone();
        nan[1, 0, 2, 2] = tensor(float.NaN);
        Assert.Contains("input contains NaN", Assert.Throws<ArgumentException>(() => ensemble.Predict(nan)).Message);
        ensemble.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ensemble.Predict(x));
    }

    [Fact]
    public void The_local_correction_enlarges_the_ensemble_epistemic_variance()
    {
        using var data = new TinyTwiData(count: 16);
        using var scope = NewDisposeScope();
        using var ens = DeepEnsemble.Train(TwoGaussianMembers, data.Data);
        Assert.Throws<InvalidOperationException>(() => ens.Predict(data.Inputs, EnsembleCorrection.LocalPosterior));
        ens.FitLocalPosterior(data.Data, priorPrecision: 1.0);
        var plain = ens.Predict(data.Inputs);
        var local = ens.Predict(data.Inputs, EnsembleCorrection.LocalPosterior);
        var diff = local.EpistemicVariance - plain.EpistemicVariance;
        Assert.True(diff.min().ToDouble() > 0, "every pixel gains a positive local term");
        Assert.True(allclose(local.Mean, plain.Mean, rtol: 0, atol: 0));
        Assert.True(allclose(local.AleatoricVariance, plain.AleatoricVariance, rtol: 0, atol: 0));
    }

    [Fact]
    public void Ensemble_predictions_and_local_fits_in_calls_of_the_workspace_size_equal_whole_batches()
    {
        using var data = new TinyTwiData(count: 16);
        using var scope = NewDisposeScope();
        using var ens = DeepEnsemble.Train(TwoGaussianMembers, data.Data);
        manual_seed(3);
        using var meanHead = new UNet(new UNetOptions(9, Depth: 2, BaseWidth: 4));   // its fit estimates the noise variance
        var member = ens.Members[0];
        var sizes = new List<long>();
        var firstConvolution = member.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Conv2d>().First();
        var hook = firstConvolution.register_forward_hook((_, input, output) => { sizes.Add(input.shape[0]); return output; });
        try
        {
            ens.FitLocalPosterior(data.Data);
            var whole = ens.Predict(data.Inputs, EnsembleCorrection.LocalPosterior);
            var wholeFit = LastLayerLaplace.Fit(member, data.Data);
            var wholeNoise = LastLayerLaplace.Fit(meanHead, data.Data).NoiseVariances[0];
            Assert.Equal(16, sizes.Max());                          // the default workspace takes these small inputs in one call
            sizes.Clear();
            using (new WorkspaceBudget(1))                          // one input per call where libtorch's own kernels run
            {
                ens.FitLocalPosterior(data.Data);
                var split = ens.Predict(data.Inputs, EnsembleCorrection.LocalPosterior);
                var splitFit = LastLayerLaplace.Fit(member, data.Data);
                var splitNoise = LastLayerLaplace.Fit(meanHead, data.Data).NoiseVariances[0];
                if (!OneDnn.Enabled) Assert.Equal(1, sizes.Max());  // with oneDNN on, calls keep the requested size
                Assert.True(allclose(split.Mean, whole.Mean, rtol: 1e-5, atol: 1e-6));
                Assert.True(allclose(split.AleatoricVariance, whole.AleatoricVariance, rtol: 1e-5, atol: 1e-9));
                Assert.True(allclose(split.EpistemicVariance, whole.EpistemicVariance, rtol: 1e-4, atol: 1e-9));
                var covariance = wholeFit.Covariance(0);
                double scale = covariance.abs().max().ToDouble();
                Assert.True(allclose(splitFit.Covariance(0), covariance, rtol: 1e-5, atol: 1e-6 * scale));
                Assert.True(wholeNoise > 0 && Math.Abs(splitNoise - wholeNoise) <= 1e-5 * wholeNoise, $"noise variance {splitNoise} in single calls, {wholeNoise} in one call");
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => LastLayerLaplace.Fit(member, data.Data, batchSize: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => wholeFit.Variance(data.Inputs, batchSize: 0));
        }
        finally { hook.remove(); }
    }
}
