using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// Combines M member predictions (μ_m, σ²_m) into one Gaussian predictive distribution: the moments
/// of the uniform mixture (Lakshminarayanan et al. 2017),
/// <c>μ̄ = (1/M)Σ μ_m</c>, aleatoric <c>(1/M)Σ σ²_m</c>, epistemic <c>(1/M)Σ(μ_m − μ̄)²</c>,
/// variance = aleatoric + epistemic; with optional corrections of the epistemic part
/// (<see cref="EnsembleCorrection"/>):
/// <list type="bullet">
/// <item><b>FiniteEnsemble</b> (candidate C1): epistemic × (M + 1)/(M − 3), the variance of the
/// Student-t_{M−1}(μ̄, s²(1 + 1/M)) posterior predictive of a further member mean, s² the unbiased
/// sample variance of the μ_m. Requires M ≥ 4 (the t variance is infinite below).</item>
/// <item><b>LocalPosterior</b> (candidate C2): epistemic + (1/M)Σ v_m, where v_m is member m's
/// local posterior variance of its mean (e.g. <see cref="LastLayerLaplace"/>).</item>
/// </list>
/// Both are reconstructions of Hoffmann &amp; Elster (2021), "Deep ensembles from a Bayesian
/// perspective", whose exact formula could not be verified here; they are labelled as candidates.
/// MC dropout uses the same combination with the T stochastic passes as members.
/// </summary>
public static class EnsembleCombination
{
    /// <summary>The finite-ensemble inflation factor (M + 1)/(M − 3) of candidate C1.</summary>
    public static double FiniteEnsembleFactor(int members)
    {
        if (members < 4) throw new ArgumentOutOfRangeException(nameof(members), members, "The finite-ensemble correction needs at least 4 members: the Student-t_{M-1} variance is infinite for M <= 3.");
        return (members + 1.0) / (members - 3.0);
    }

    /// <summary>
    /// Combines member means [M, ...] and optional member variances [M, ...] (null for mean-only
    /// heads) and optional local epistemic variances [M, ...] (needed by LocalPosterior).
    /// </summary>
    public static EnsemblePrediction Combine(Tensor means, Tensor? variances = null, EnsembleCorrection correction = EnsembleCorrection.None, Tensor? localVariances = null)
    {
        TensorChecks.FloatingPoint(means, nameof(means));   // mean() of an integer tensor is a native error
        CheckCorrection(correction);
        if (means.ndim < 1 || means.shape[0] < 1) throw new ArgumentException($"means must be [M, ...] with M >= 1, got [{string.Join(", ", means.shape)}].", nameof(means));
        int m = (int)means.shape[0];
        CheckFinite(means, nameof(means));
        if (variances is not null)
        {
            if (!variances.shape.SequenceEqual(means.shape))
                throw new ArgumentException($"variances [{string.Join(", ", variances.shape)}] must have the shape of means [{string.Join(", ", means.shape)}].", nameof(variances));
            CheckVariances(variances, nameof(variances));
        }
        bool local = correction.HasFlag(EnsembleCorrection.LocalPosterior);
        if (local)
        {
            if (localVariances is null) throw new ArgumentException("The LocalPosterior correction needs the members' local variances.", nameof(localVariances));
            if (!localVariances.shape.SequenceEqual(means.shape))
                throw new ArgumentException($"localVariances [{string.Join(", ", localVariances.shape)}] must have the shape of means [{string.Join(", ", means.shape)}].", nameof(localVariances));
            CheckVariances(localVariances, nameof(localVariances));
        }
        else if (localVariances is not null)
            throw new ArgumentException("localVariances were given but the LocalPosterior correction is not selected.", nameof(localVariances));
        double factor = correction.HasFlag(EnsembleCorrection.FiniteEnsemble) ? FiniteEnsembleFactor(m) : 1;

        using var scope = NewDisposeScope();
        var mean = means.mean([0]);
        var aleatoric = variances is null ? zeros_like(mean) : variances.mean([0]);
        var epistemic = (means - mean.unsqueeze(0)).pow(Hold(2)).mean([0]);
        if (factor != 1) epistemic = epistemic * Hold(factor);
        if (local) epistemic = epistemic.add(localVariances!.mean([0]), One);
        var total = aleatoric.add(epistemic, One);
        scope.MoveToOuter(mean, aleatoric, epistemic, total);
        return new EnsemblePrediction(mean, aleatoric, epistemic, total, m, correction);
    }

    /// <summary>Throws for a value with flags other than <see cref="EnsembleCorrection.FiniteEnsemble"/> and <see cref="EnsembleCorrection.LocalPosterior"/>.</summary>
    internal static void CheckCorrection(EnsembleCorrection correction)
    {
        const EnsembleCorrection known = EnsembleCorrection.FiniteEnsemble | EnsembleCorrection.LocalPosterior;
        if ((correction & ~known) != 0)   // a flags enum: Enum.IsDefined would refuse the combination of both
            throw new ArgumentOutOfRangeException(nameof(correction), correction, "Unknown ensemble correction: the flags are FiniteEnsemble and LocalPosterior.");
    }

    private static void CheckFinite(Tensor t, string name)
    {
        if (FisherKit.Metrics.Regression.MetricInput.AnyNonFinite(t)) throw new ArgumentException($"{name} contains NaN or infinite values (a diverged member?).", name);
    }

    private static void CheckVariances(Tensor t, string name)
    {
        TensorChecks.FloatingPoint(t, name);
        CheckFinite(t, name);
        if (FisherKit.Metrics.Regression.MetricInput.AnyNegative(t)) throw new ArgumentException($"{name} has negative entries; variances must be non-negative.", name);
    }
}
