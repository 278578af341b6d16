namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// What defines a benchmark problem f(x) = Σ_{k&lt;p} a_k φ_k(x) in d dimensions with observations
/// y = f(x) + ε, ε ~ N(0, σ²): see <see cref="BenchmarkProblem.Create"/>.
/// </summary>
/// <example>
/// <code>
/// var problem = BenchmarkProblem.Create(new BenchmarkSettings { Family = BasisFamily.Trigonometric, Dimension = 2, Terms = 8, Seed = 3 });
/// var train = problem.Sample(200, seed: 1);      // x, f(x), y
/// var reference = ReferenceRegression.Fit(problem.Basis(train.Inputs), train.Targets);
/// </code>
/// </example>
public sealed record BenchmarkSettings
{
    /// <summary>The family of the φ_k (default ridge sines and cosines).</summary>
    public BasisFamily Family { get; init; } = BasisFamily.Trigonometric;

    /// <summary>d, the input dimension (default 1).</summary>
    public int Dimension { get; init; } = 1;

    /// <summary>p, the number of terms (default 6).</summary>
    public int Terms { get; init; } = 6;

    /// <summary>How the a_k are drawn (default N(0, 1)).</summary>
    public CoefficientLaw Coefficients { get; init; } = CoefficientLaw.Normal;

    /// <summary>How the inputs are drawn (default U[−1, 1]^d).</summary>
    public InputDistribution Inputs { get; init; } = InputDistribution.Uniform;

    /// <summary>
    /// Noise level ρ: σ = ρ · sd(f), sd(f) the standard deviation of f over the input distribution (estimated from
    /// 20 000 seeded draws; default 0.1). 0 gives noise-free observations (no reference then: its s² would be 0).
    /// </summary>
    public double NoiseLevel { get; init; } = 0.1;

    /// <summary>ω_max of the trigonometric family: ω_k ~ U[1, ω_max] (default 4).</summary>
    public double MaxFrequency { get; init; } = 4;

    /// <summary>Width of the radial bumps per √d: ℓ = Width·√d (default 0.5).</summary>
    public double Width { get; init; } = 0.5;

    /// <summary>Seed of the basis parameters and coefficients (data sets have seeds of their own).</summary>
    public long Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Family)) throw new ArgumentOutOfRangeException(nameof(Family), Family, "Unknown basis family.");
        if (!Enum.IsDefined(Coefficients)) throw new ArgumentOutOfRangeException(nameof(Coefficients), Coefficients, "Unknown coefficient law.");
        if (!Enum.IsDefined(Inputs)) throw new ArgumentOutOfRangeException(nameof(Inputs), Inputs, "Unknown input distribution.");
        if (Dimension < 1) throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "The input dimension must be at least 1.");
        if (Terms < 1) throw new ArgumentOutOfRangeException(nameof(Terms), Terms, "A benchmark function needs at least one term.");
        if (!(NoiseLevel >= 0) || !double.IsFinite(NoiseLevel)) throw new ArgumentOutOfRangeException(nameof(NoiseLevel), NoiseLevel, "The noise level must be finite and >= 0.");
        if (!(MaxFrequency >= 1) || !double.IsFinite(MaxFrequency)) throw new ArgumentOutOfRangeException(nameof(MaxFrequency), MaxFrequency, "The largest frequency must be finite and >= 1.");
        if (!(Width > 0) || !double.IsFinite(Width)) throw new ArgumentOutOfRangeException(nameof(Width), Width, "The bump width must be positive and finite.");
    }

    /// <summary>"Trigonometric, d = 2, p = 8, ρ = 0.1".</summary>
    public string Label => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Family}, d = {Dimension}, p = {Terms}, ρ = {NoiseLevel:0.###}");
}
