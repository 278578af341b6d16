using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Experiments;

/// <summary>
/// A simulated measurement with known ground truth: locating a spectral line. Each input is a signal of
/// <see cref="SignalLength"/> samples at t_i = i/(L − 1),
/// s(t) = A·exp(−(t − μ)²/(2w²)) + c₀ + c₁(t − ½) + ε, ε ~ N(0, σ²) i.i.d., and the target is the line
/// position μ (in units of the scan range). Nuisance parameters: amplitude A ~ U(0.5, 1.5), width
/// w ~ U(0.04, 0.08), baseline offset c₀ and slope c₁ ~ U(−0.2, 0.2); noise σ = 0.02.
/// <para>
/// The measuring range is μ ∈ [0.15, 0.85]. The pool over-represents its lower end (μ = 0.15 + 0.7u² with
/// u ~ U(0, 1), as when most archived measurements come from one part of the range), while the test set
/// covers it uniformly: the question is how quickly a method labels the measurements that make the
/// calibration good over the whole range.
/// </para>
/// </summary>
public static class PeakPositionTask
{
    /// <summary>Samples per signal L.</summary>
    public const int SignalLength = 32;

    /// <summary>Noise standard deviation σ of each sample.</summary>
    public const double NoiseStd = 0.02;

    /// <summary>
    /// <paramref name="count"/> signals (count, L) float32 and positions (count, 1) float32, from a generator
    /// seeded by <paramref name="seed"/>; <paramref name="skewedPositions"/> draws μ as in the pool, else uniformly.
    /// </summary>
    public static (Tensor signals, Tensor positions) Generate(int count, long seed, bool skewedPositions)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one signal is needed.");
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        var u = rand([count, 1], ScalarType.Float64, generator: g);
        var mu = skewedPositions ? (Hold(0.7) * u.pow(Hold(2))).add(Hold(0.15), One) : (Hold(0.7) * u).add(Hold(0.15), One);
        var amp = rand([count, 1], ScalarType.Float64, generator: g).add(Hold(0.5), One);
        var width = (Hold(0.04) * rand([count, 1], ScalarType.Float64, generator: g)).add(Hold(0.04), One);
        var c0 = rand([count, 1], ScalarType.Float64, generator: g) * Hold(0.4) - Hold(0.2);
        var c1 = rand([count, 1], ScalarType.Float64, generator: g) * Hold(0.4) - Hold(0.2);
        var t = linspace(0, 1, SignalLength, ScalarType.Float64).unsqueeze(0);
        var s = (amp * (-(t - mu).pow(Hold(2)) / (Hold(2) * width.pow(Hold(2)))).exp()).add(c0, One).add(c1 * (t - Hold(0.5)), One).add(randn([count, SignalLength], ScalarType.Float64, generator: g) * Hold(NoiseStd), One);
        return (scope.MoveToOuter(s.to(ScalarType.Float32)), scope.MoveToOuter(mu.to(ScalarType.Float32)));
    }
}
