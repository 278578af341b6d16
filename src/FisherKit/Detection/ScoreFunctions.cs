using FisherKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// The formulas behind the detection scores, as tensor functions (float64 results in the caller's
/// dispose scope), so they can be applied to logits or probabilities already computed.
/// </summary>
public static class ScoreFunctions
{
    /// <summary>Maximum softmax probability max_c softmax(z)_c per row of logits (N, C) (Hendrycks &amp; Gimpel 2017).</summary>
    public static Tensor MaxSoftmaxProbability(Tensor logits)
    {
        TensorChecks.Logits(logits, nameof(logits));
        using var scope = NewDisposeScope();
        var p = nn.functional.softmax(logits.to(ScalarType.Float64), 1);
        return scope.MoveToOuter(p.amax([1]));
    }

    /// <summary>Predictive entropy −Σ_c p_c log p_c (nats) of probabilities (N, C), with 0 log 0 = 0.</summary>
    public static Tensor Entropy(Tensor probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.ndim < 1) throw new ArgumentException("Probabilities need a class dimension (last).", nameof(probabilities));
        using var scope = NewDisposeScope();
        var p = probabilities.to(ScalarType.Float64);
        var plogp = where(p > Hold(0), p * p.clamp_min(Hold(1e-300)).log(), 0.0);
        return scope.MoveToOuter(-plogp.sum(-1));
    }

    /// <summary>Entropy of softmax(z) computed stably from logits (N, C).</summary>
    public static Tensor EntropyFromLogits(Tensor logits)
    {
        TensorChecks.Logits(logits, nameof(logits));
        using var scope = NewDisposeScope();
        var logp = nn.functional.log_softmax(logits.to(ScalarType.Float64), 1);
        return scope.MoveToOuter(-(logp.exp() * logp).sum(1));
    }

    /// <summary>Energy E(x) = −T · log Σ_c exp(z_c / T) (Liu et al. 2020); higher = more unusual.</summary>
    public static Tensor Energy(Tensor logits, double temperature = 1)
    {
        TensorChecks.Logits(logits, nameof(logits));
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive.");
        using var scope = NewDisposeScope();
        var z = logits.to(ScalarType.Float64) / Hold(temperature);
        return scope.MoveToOuter(z.logsumexp(1) * Hold(-temperature));
    }

    /// <summary>
    /// Summarises samples of predictive distributions (S, N, C), S ≥ 2, into N values with
    /// <paramref name="measure"/> (see <see cref="SampleMeasure"/>).
    /// </summary>
    public static Tensor Disagreement(Tensor probabilitySamples, SampleMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(probabilitySamples);
        if (probabilitySamples.ndim != 3 || probabilitySamples.size(2) < 2)
            throw new ArgumentException($"Expected probability samples of shape (S, N, C); got {TensorChecks.Shape(probabilitySamples)}.", nameof(probabilitySamples));
        if (probabilitySamples.size(0) < 2)
            throw new ArgumentException($"Disagreement needs S ≥ 2 samples of the predictive distribution (one sample cannot disagree with itself); got S = {probabilitySamples.size(0)} in shape {TensorChecks.Shape(probabilitySamples)}.", nameof(probabilitySamples));
        using var scope = NewDisposeScope();
        var p = probabilitySamples.to(ScalarType.Float64);
        long s = p.size(0), c = p.size(2);
        var mean = p.mean([0]);
        Tensor result = measure switch
        {
            SampleMeasure.MutualInformation => (Entropy(mean) - Entropy(p).mean([0])).clamp_min(Hold(0)),
            SampleMeasure.PredictiveEntropy => Entropy(mean),
            SampleMeasure.VariationRatio => (nn.functional.one_hot(p.argmax(2), c).sum([0]).amax([1]).to(ScalarType.Float64) / Hold(s) - Hold(1)).neg(),
            SampleMeasure.MeanStandardDeviation => SpreadAroundMean(p).sqrt().mean([1]),
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "Unknown measure."),
        };
        return scope.MoveToOuter(result);
    }

    /// <summary>
    /// mean_s (xˢ − x̄)² over the samples (dimension 0), from the differences to the first sample (two passes), so that
    /// agreeing samples give exactly 0: the one-pass mean of squares less the squared mean leaves rounding noise of order
    /// 1e-9 in a standard deviation, which then ranks candidates, and even x − x̄ is not 0 where x̄ = (Σ x)/S rounds.
    /// </summary>
    internal static Tensor SpreadAroundMean(Tensor samples)
    {
        var d = samples - samples.narrow(0, 0, 1);
        return (d - d.mean([0], keepdim: true)).pow(Hold(2)).mean([0]);
    }

    /// <summary>
    /// Average local spatial entropy of maps (N, H, W), the detection statistic of Amirian, Schwenker &amp;
    /// Stadelmann (2018) in FisherKit's reading: each map is scaled to [0, 1] by its own minimum and
    /// maximum (a constant map becomes 0), quantised into <paramref name="bins"/> grey levels
    /// q = min(⌊B·m⌋, B − 1), and for every <paramref name="window"/>×<paramref name="window"/>
    /// neighbourhood lying wholly inside the map the Shannon entropy −Σ_b p_b log₂ p_b of its grey-level
    /// histogram is computed; the result is the mean over all neighbourhoods (bits).
    /// </summary>
    public static Tensor LocalSpatialEntropy(Tensor maps, int window = 5, int bins = 16)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.ndim != 3) throw new ArgumentException($"Expected maps of shape (N, H, W); got {TensorChecks.Shape(maps)}.", nameof(maps));
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be at least 2 pixels wide.");
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least two grey levels are needed.");
        if (maps.size(1) < window || maps.size(2) < window)
            throw new ArgumentException($"Maps of {maps.size(1)}x{maps.size(2)} are smaller than the {window}x{window} window.", nameof(maps));
        using var scope = NewDisposeScope();
        var m = maps.detach().to(ScalarType.Float64);
        var lo = m.amin([1, 2], keepdim: true);
        var hi = m.amax([1, 2], keepdim: true);
        var range = hi - lo;
        var scaled = where(range > Hold(0), (m - lo) / range.clamp_min(Hold(1e-300)), 0.0);
        var q = (scaled * Hold(bins)).floor().clamp(Hold(0), Hold(bins - 1)).unsqueeze(1);     // (N, 1, H, W)
        Tensor? h = null;
        for (int b = 0; b < bins; b++)
        {
            var p = nn.functional.avg_pool2d(q.eq(Hold(b)).to(ScalarType.Float64), [window], [1]);
            var term = where(p > Hold(0), p * p.clamp_min(Hold(1e-300)).log2(), 0.0);
            h = h is null ? term : h.add(term, One);
        }
        return scope.MoveToOuter((-h!).mean([1, 2, 3]));
    }
}
