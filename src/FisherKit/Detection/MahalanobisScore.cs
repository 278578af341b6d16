using TorchSharp;
using FisherKit.Data;
using FisherKit.Models;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// Mahalanobis distance in feature space (Lee, Lee, Lee &amp; Shin 2018), in its basic form: on training
/// features z with labels y, class-conditional means μ_c and one shared covariance
/// Σ = (1/N) Σᵢ (zᵢ − μ_{yᵢ})(zᵢ − μ_{yᵢ})ᵀ are fitted; the score of an input is the squared distance to
/// the closest class, s(x) = min_c (z(x) − μ_c)ᵀ (Σ + λI)⁻¹ (z(x) − μ_c), with λ = ridge · tr(Σ)/D keeping the
/// inverse stable. Classes absent from the training data (a held-out class) get no mean. The
/// paper's input preprocessing and combination of several layers are not included. Computed in
/// float64 via the Cholesky factor of Σ + λI. Owns its statistics: dispose it when done.
/// </summary>
public sealed class MahalanobisScore : IDetectionScore, IDisposable
{
    private readonly Func<Tensor, Tensor>? _features;
    private readonly Tensor _means;        // (K, D)
    private readonly Tensor _covariance;   // (D, D), without ridge
    private readonly Tensor _whitening;    // W = L⁻¹ with L Lᵀ = Σ + λI
    private readonly Tensor _whitenedMeans; // (K, D): μ_c Wᵀ

    private MahalanobisScore(Func<Tensor, Tensor>? features, Tensor means, Tensor covariance, Tensor whitening, Tensor whitenedMeans, long[] classes, double ridge, double lambda)
    {
        _features = features;
        _means = means.DetachFromDisposeScope();
        _covariance = covariance.DetachFromDisposeScope();
        _whitening = whitening.DetachFromDisposeScope();
        _whitenedMeans = whitenedMeans.DetachFromDisposeScope();
        Classes = classes;
        Ridge = ridge;
        Lambda = lambda;
    }

    /// <summary>
    /// Fits the statistics on the features of training inputs, extracted batch by batch by
    /// <paramref name="featureExtractor"/> (e.g. <see cref="FeatureExtractors.Penultimate"/>).
    /// </summary>
    public static MahalanobisScore Fit(Func<Tensor, Tensor> featureExtractor, Tensor inputs, Tensor labels, double ridge = 1e-6, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(featureExtractor);
        TensorChecks.Batch(inputs, labels);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < inputs.size(0); start += batchSize)
        {
            var len = Math.Min(batchSize, inputs.size(0) - start);
            parts.Add(featureExtractor(inputs.narrow(0, start, len)).to(ScalarType.Float64));
        }
        return FromFeatures(cat(parts, 0), labels, featureExtractor, ridge);
    }

    /// <summary>Fits the statistics on the features of a training data set.</summary>
    public static MahalanobisScore Fit(Func<Tensor, Tensor> featureExtractor, ImageDataset training, double ridge = 1e-6, int batchSize = 256, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        using var scope = NewDisposeScope();
        var x = device is null ? training.Images : training.Images.to(device);
        var y = device is null ? training.Labels : training.Labels.to(device);
        return Fit(featureExtractor, x, y, ridge, batchSize);
    }

    /// <summary>
    /// Fits the statistics on given features (N, D) and labels (N); <paramref name="featureExtractor"/>,
    /// if given, lets <see cref="Score"/> take inputs, otherwise use <see cref="ScoreFeatures"/>.
    /// </summary>
    public static MahalanobisScore FromFeatures(Tensor features, Tensor labels, Func<Tensor, Tensor>? featureExtractor = null, double ridge = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.ndim != 2) throw new ArgumentException($"Features must have shape (N, D); got {TensorChecks.Shape(features)}.", nameof(features));
        if (labels.ndim != 1 || labels.dtype != ScalarType.Int64 || labels.size(0) != features.size(0))
            throw new ArgumentException($"Labels must be int64 of shape ({features.size(0)}); got {TensorChecks.Shape(labels)} of {labels.dtype}.", nameof(labels));
        if (!(ridge >= 0) || !double.IsFinite(ridge)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The ridge must be a finite value >= 0.");
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var z = features.detach().to(ScalarType.Float64).cpu();
        if (!z.isfinite().all().item<bool>()) throw new ArgumentException("Features contain NaN or infinite values.", nameof(features));
        var y = labels.cpu();
        long n = z.size(0), d = z.size(1);
        var classes = y.unique().output.ToArray<long>();
        var means = new List<Tensor>();
        var centred = zeros_like(z);
        foreach (var c in classes)
        {
            var mask = y.eq(Hold((double)c));
            var members = z[mask];
            var mu = members.mean([0]);
            means.Add(mu);
            centred[mask] = members - mu;
        }
        if (n <= 1) throw new ArgumentException("At least two training features are needed.", nameof(features));
        var cov = centred.t().mm(centred) / Hold(n);
        var trace = cov.trace().ToDouble();
        var lambda = ridge * (trace > 0 ? trace / d : 1);
        var regularised = cov.add(eye(d, dtype: ScalarType.Float64) * Hold(lambda), One);
        Tensor chol;
        try { chol = linalg.cholesky(regularised); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            throw new InvalidOperationException($"The shared feature covariance ({d}x{d}, from {n} samples) is not positive definite even with ridge {ridge}; increase the ridge.", e);
        }
        var whitening = linalg.solve_triangular(chol, eye(d, dtype: ScalarType.Float64), upper: false);
        var m = stack(means, 0);
        var wm = m.mm(whitening.t());
        return new MahalanobisScore(featureExtractor, m, cov, whitening, wm, classes, ridge, lambda);
    }

    /// <summary>The classes that had training features, in the order of the rows of <see cref="Means"/>.</summary>
    public IReadOnlyList<long> Classes { get; }

    /// <summary>Class means (K, D), float64. Owned by the score.</summary>
    public Tensor Means => _means;

    /// <summary>The shared covariance Σ (D, D) without ridge, float64. Owned by the score.</summary>
    public Tensor Covariance => _covariance;

    /// <summary>The relative ridge.</summary>
    public double Ridge { get; }

    /// <summary>The absolute ridge λ = ridge · tr(Σ)/D added to the diagonal.</summary>
    public double Lambda { get; }

    /// <inheritdoc />
    public string Name => "Mahalanobis";

    /// <inheritdoc />
    public string Description => "s(x) = min_c (z(x) − μ_c)ᵀ (Σ + λI)⁻¹ (z(x) − μ_c) on feature vectors z, class means μ_c and shared covariance Σ from training data (Lee et al. 2018).";

    /// <summary>Squared Mahalanobis distances (N, K) of features (N, D) to every class mean, float64.</summary>
    public Tensor SquaredDistances(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.ndim != 2 || features.size(1) != _means.size(1))
            throw new ArgumentException($"Features must have shape (N, {_means.size(1)}); got {TensorChecks.Shape(features)}.", nameof(features));
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var zw = features.detach().to(ScalarType.Float64).cpu().mm(_whitening.t());
        var diff = zw.unsqueeze(1) - _whitenedMeans.unsqueeze(0);
        return scope.MoveToOuter(diff.pow(Hold(2)).sum(2));
    }

    /// <summary>Scores given features (N, D): the squared distance to the closest class mean.</summary>
    public double[] ScoreFeatures(Tensor features)
    {
        using var scope = NewDisposeScope();
        return SquaredDistances(features).amin([1]).ToArray<double>();
    }

    /// <inheritdoc />
    public double[] Score(Tensor inputs)
    {
        var f = _features ?? throw new InvalidOperationException("This Mahalanobis score was fitted on features without a feature extractor; use ScoreFeatures.");
        using var scope = NewDisposeScope();
        return ScoreFeatures(f(inputs));
    }

    /// <summary>Releases the fitted statistics.</summary>
    public void Dispose()
    {
        _means.Dispose();
        _covariance.Dispose();
        _whitening.Dispose();
        _whitenedMeans.Dispose();
    }
}
