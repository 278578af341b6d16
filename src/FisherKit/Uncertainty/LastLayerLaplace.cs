using TorchSharp;
using FisherKit.Models;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// A Laplace approximation of the posterior of one U-Net's last layer (the 1×1 convolution that
/// produces the mean), used as the local Gaussian of candidate C2 of the Bayesian-perspective
/// ensemble correction (<see cref="EnsembleCorrection.LocalPosterior"/>).
/// </summary>
/// <remarks>
/// The mean of output channel c at a pixel is μ_c = θ_cᵀ φ̃ with φ̃ = (φ, 1) the last hidden features
/// plus a bias entry and θ_c = (weights, bias). With the Gaussian likelihood N(y; μ_c, v) per pixel
/// (v the member's predicted variance for the Gaussian head, or the mean squared training residual
/// for the mean head) and a prior θ_c ~ N(θ̂_c, λ⁻¹I) around the trained weights, the Hessian of the
/// negative log posterior in θ_c is exactly H_c = λI + Σ_{samples, masked pixels} φ̃φ̃ᵀ/v (μ is linear
/// in θ_c), so the local posterior is N(θ̂_c, H_c⁻¹) and the local predictive variance of the mean
/// at a pixel is φ̃ᵀ H_c⁻¹ φ̃. Treating all pixels as independent observations makes this term
/// small for large training sets; it is reported as computed. Computed in float64.
/// </remarks>
public sealed class LastLayerLaplace
{
    private readonly UNet _model;
    private readonly double[][] _covariances; // per output channel, (F+1)×(F+1) row-major

    private LastLayerLaplace(UNet model, double[][] covariances, double[] noise, double priorPrecision)
    {
        _model = model;
        _covariances = covariances;
        NoiseVariances = noise;
        PriorPrecision = priorPrecision;
    }

    /// <summary>The prior precision λ.</summary>
    public double PriorPrecision { get; }

    /// <summary>For the mean head: the per-channel noise variance v (mean squared training residual); NaN for the Gaussian head.</summary>
    public IReadOnlyList<double> NoiseVariances { get; }

    /// <summary>The posterior covariance H_c⁻¹ of channel <paramref name="channel"/>'s last-layer parameters, float64 [F+1, F+1].</summary>
    public Tensor Covariance(int channel)
    {
        if (channel < 0 || channel >= _covariances.Length)
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"The network has {_covariances.Length} output channel(s): 0 to {_covariances.Length - 1}.");
        int f = _model.Options.BaseWidth + 1;
        return tensor(_covariances[channel], [f, f]);
    }

    /// <summary>
    /// Fits the approximation on the training data (evaluation mode, no gradients), in calls of at most
    /// <paramref name="batchSize"/> inputs (fewer where <see cref="ConvolutionWorkspace"/> says so).
    /// </summary>
    public static LastLayerLaplace Fit(UNet model, RegressionData train, double priorPrecision = 1.0, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (!(priorPrecision > 0) || double.IsInfinity(priorPrecision)) throw new ArgumentOutOfRangeException(nameof(priorPrecision), priorPrecision, "The prior precision must be positive and finite.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        model.CheckInput(train.Inputs);
        UNetTraining.CheckTargets(model, train);
        int c = model.Options.OutChannels, f = model.Options.BaseWidth + 1;
        bool gaussian = model.Options.Head == RegressionHead.Gaussian;
        var noise = new double[c];
        Array.Fill(noise, double.NaN);
        using var mode = ModuleMode.Eval(model);
        using var _ = no_grad();
        using var outer = NewDisposeScope();
        var device = UNetTraining.ModelDevice(model);
        if (!gaussian)
        {
            // Noise variance per channel: mean squared residual over the masked training pixels.
            var sums = new double[c];
            double count = 0;
            ForEachBatch(model, train, batchSize, device, (feat, mean, variance, target, mask) =>
            {
                var r2 = (mean - target).pow(Hold(2)) * mask;                  // [b, C, H, W]
                var per = r2.sum([0, 2, 3]).ToArray<double>();
                for (int k = 0; k < c; k++) sums[k] += per[k];
                count += mask.sum().ToDouble() * target.shape[0];
            });
            for (int k = 0; k < c; k++) noise[k] = Math.Max(sums[k] / count, 1e-12);
        }
        var h = new Tensor[c];
        for (int k = 0; k < c; k++) h[k] = eye(f, dtype: ScalarType.Float64) * Hold(priorPrecision);
        ForEachBatch(model, train, batchSize, device, (feat, mean, variance, target, mask) =>
        {
            var phi = Augmented(feat);                                    // [b·H·W, F+1]
            var m = mask.expand(target.shape[0], 1, target.shape[2], target.shape[3]).reshape(-1); // [b·H·W]
            for (int k = 0; k < c; k++)
            {
                var w = variance is null ? m / Hold(noise[k]) : m / variance.narrow(1, k, 1).reshape(-1);
                h[k].add_((phi * w.unsqueeze(1)).t().matmul(phi), One);
            }
        });
        var cov = new double[c][];
        for (int k = 0; k < c; k++)
        {
            var l = linalg.cholesky(h[k]);
            var s = cholesky_solve(eye(f, dtype: ScalarType.Float64), l);
            cov[k] = (s.add(s.t(), One) * Hold(0.5)).ToArray<double>();
        }
        return new LastLayerLaplace(model, cov, noise, priorPrecision);
    }

    /// <summary>
    /// The local predictive variance φ̃ᵀ H_c⁻¹ φ̃ of the mean, [B, C, H, W] in the model's dtype (on the CPU), in calls
    /// of at most <paramref name="batchSize"/> inputs (fewer where <see cref="ConvolutionWorkspace"/> says so).
    /// </summary>
    public Tensor Variance(Tensor inputs, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        _model.CheckInput(inputs);
        UNet.CheckSamples(inputs);
        int c = _model.Options.OutChannels, f = _model.Options.BaseWidth + 1;
        using var mode = ModuleMode.Eval(_model);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var device = UNetTraining.ModelDevice(_model);
        var covs = _covariances.Select(v => tensor(v, [f, f])).ToArray();
        var parts = new List<Tensor>();
        int perCall = ConvolutionWorkspace.InputsPerCall(_model, inputs, batchSize);
        for (long start = 0; start < inputs.shape[0]; start += perCall)
        {
            using var batchScope = NewDisposeScope();
            long count = Math.Min(perCall, inputs.shape[0] - start);
            var (output, feat) = _model.ForwardWithFeatures(inputs.narrow(0, start, count).to(device));
            var phi = Augmented(feat.to(CPU));                                // [b·H·W, F+1]
            long hgt = feat.shape[2], wid = feat.shape[3];
            var chans = covs.Select(s => (phi.matmul(s) * phi).sum(1).reshape(count, 1, hgt, wid)).ToArray();
            parts.Add(batchScope.MoveToOuter(cat(chans, 1)));
        }
        var result = cat(parts, 0).to(inputs.dtype);
        return scope.MoveToOuter(result);
    }

    private static Tensor Augmented(Tensor features)
    {
        long b = features.shape[0], f = features.shape[1], h = features.shape[2], w = features.shape[3];
        var phi = features.to(ScalarType.Float64).permute(0, 2, 3, 1).reshape(b * h * w, f);
        return cat([phi, ones([b * h * w, 1], ScalarType.Float64)], 1);
    }

    private delegate void BatchAction(Tensor features, Tensor mean, Tensor? variance, Tensor target, Tensor mask);

    private static void ForEachBatch(UNet model, RegressionData data, int batchSize, Device device, BatchAction action)
    {
        long n = data.Count;
        int perCall = ConvolutionWorkspace.InputsPerCall(model, data.Inputs, batchSize);   // evaluation mode: inputs do not interact
        for (long start = 0; start < n; start += perCall)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(perCall, n - start);
            var (output, feat) = model.ForwardWithFeatures(data.Inputs.narrow(0, start, count).to(device));
            var (mean, variance) = model.Split(output);
            var target = data.Targets.narrow(0, start, count).to(ScalarType.Float64);
            var mask = data.Mask is null
                ? ones([1, 1, target.shape[2], target.shape[3]], ScalarType.Float64)
                : data.Mask.to(ScalarType.Float64).reshape(1, 1, target.shape[2], target.shape[3]);
            action(feat.to(CPU), mean.to(ScalarType.Float64, CPU), variance?.to(ScalarType.Float64, CPU), target, mask);
        }
    }
}
