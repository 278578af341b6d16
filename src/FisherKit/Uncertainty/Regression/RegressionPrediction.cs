using FisherKit.Metrics.Regression;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// What every regression uncertainty method of FisherKit returns for N inputs (<see cref="IRegressionUncertainty"/>):
/// the predictive mean of f(x) and its variance split into parts, in float64:
/// <c>Variance = Epistemic + Aleatoric</c>, <c>Aleatoric = OutputNoise + InputNoise</c>.
/// The epistemic part is the uncertainty about f(x) (what coverage of the true function judges); the aleatoric
/// part is the noise of a new observation: the output noise σ_y² and, for errors-in-variables networks, the
/// spread that the noise of the input itself causes. <see cref="DegreesOfFreedom"/> is ∞ for a Gaussian reading
/// and finite for a Student-t one (the reference, the finite-ensemble correction), which
/// <see cref="IntervalFactor"/> turns into interval half-widths.
/// </summary>
public sealed record RegressionPrediction
{
    /// <summary>Checks lengths and values and creates the prediction.</summary>
    /// <exception cref="ArgumentException">Arrays of different lengths, a non-finite mean, or a negative or non-finite variance.</exception>
    public RegressionPrediction(string method, double[] mean, double[] epistemicVariance, double[] outputNoiseVariance, double[]? inputNoiseVariance = null,
                                double degreesOfFreedom = double.PositiveInfinity, double[][]? samples = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(epistemicVariance);
        ArgumentNullException.ThrowIfNull(outputNoiseVariance);
        int n = mean.Length;
        inputNoiseVariance ??= new double[n];
        foreach (var (name, a) in new[] { ("epistemicVariance", epistemicVariance), ("outputNoiseVariance", outputNoiseVariance), ("inputNoiseVariance", inputNoiseVariance) })
        {
            if (a.Length != n) throw new ArgumentException($"{name} has {a.Length} values but the mean has {n}.", name);
            foreach (var v in a)
                if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"{name} holds {v}; variances must be finite and >= 0.", name);
        }
        foreach (var v in mean)
            if (!double.IsFinite(v)) throw new ArgumentException("The mean contains NaN or infinite values (a diverged network?).", nameof(mean));
        if (!(degreesOfFreedom > 2)) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "The degrees of freedom must exceed 2 (a finite variance).");
        if (samples is not null)
            foreach (var s in samples)
                if (s.Length != n) throw new ArgumentException($"A sample has {s.Length} values but the mean has {n}.", nameof(samples));
        Method = method;
        Mean = mean;
        EpistemicVariance = epistemicVariance;
        OutputNoiseVariance = outputNoiseVariance;
        InputNoiseVariance = inputNoiseVariance;
        DegreesOfFreedom = degreesOfFreedom;
        Samples = samples;
        AleatoricVariance = new double[n];
        Variance = new double[n];
        for (int i = 0; i < n; i++)
        {
            AleatoricVariance[i] = outputNoiseVariance[i] + inputNoiseVariance[i];
            Variance[i] = epistemicVariance[i] + AleatoricVariance[i];
        }
    }

    /// <summary>The method's name.</summary>
    public string Method { get; init; }

    /// <summary>Predictive mean of f(x) (and of y).</summary>
    public double[] Mean { get; }

    /// <summary>Epistemic variance: the uncertainty about f(x).</summary>
    public double[] EpistemicVariance { get; }

    /// <summary>Output-noise variance σ_y².</summary>
    public double[] OutputNoiseVariance { get; }

    /// <summary>The part of the aleatoric variance caused by noise of the input (errors-in-variables; 0 for other methods).</summary>
    public double[] InputNoiseVariance { get; }

    /// <summary>OutputNoise + InputNoise.</summary>
    public double[] AleatoricVariance { get; }

    /// <summary>Epistemic + Aleatoric: the variance of a new observation y.</summary>
    public double[] Variance { get; }

    /// <summary>ν of a Student-t reading of the epistemic part (∞: Gaussian).</summary>
    public double DegreesOfFreedom { get; }

    /// <summary>
    /// ν of a Student-t reading of the whole predictive distribution of a new observation (∞: Gaussian, the default);
    /// finite for the reference, whose predictive of y is t_ν. The finite-ensemble correction makes only the
    /// epistemic part Student-t, so its observations keep the Gaussian reading.
    /// </summary>
    public double ObservationDegreesOfFreedom
    {
        get => _observationDof;
        init
        {
            if (!(value > 2)) throw new ArgumentOutOfRangeException(nameof(ObservationDegreesOfFreedom), value, "The degrees of freedom must exceed 2 (a finite variance).");
            _observationDof = value;
        }
    }

    private readonly double _observationDof = double.PositiveInfinity;

    /// <summary>Draws of f(x) the epistemic part was formed from, [S][N] (members, dropout passes, posterior draws), or null.</summary>
    public double[][]? Samples { get; }

    /// <summary>N.</summary>
    public int Count => Mean.Length;

    /// <summary>√Epistemic.</summary>
    public double[] EpistemicStd => EpistemicVariance.Select(Math.Sqrt).ToArray();

    /// <summary>√Variance.</summary>
    public double[] Std => Variance.Select(Math.Sqrt).ToArray();

    /// <summary>
    /// The factor k with which mean ± k·std is the central interval of nominal <paramref name="level"/>: the normal
    /// quantile for ν = ∞, else t_{(1+level)/2, ν}·√((ν − 2)/ν) (the t quantile times the scale, std being the t
    /// distribution's standard deviation).
    /// </summary>
    public double IntervalFactor(double level) => Factor(level, DegreesOfFreedom);

    /// <summary>The factor k of the central interval mean ± k·√Variance of a new observation (see <see cref="ObservationDegreesOfFreedom"/>).</summary>
    public double ObservationIntervalFactor(double level) => Factor(level, ObservationDegreesOfFreedom);

    private static double Factor(double level, double nu) =>
        double.IsPositiveInfinity(nu)
            ? NormalDistribution.CoverageFactor(level)
            : StudentTDistribution.CoverageFactor(level, nu) * Math.Sqrt((nu - 2) / nu);
}
