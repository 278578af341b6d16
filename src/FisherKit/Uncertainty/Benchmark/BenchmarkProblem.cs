using System.Globalization;

namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// A test problem of the uncertainty benchmark of Schmähling, Martin &amp; Elster (2022): a regression function
/// f(x) = Σ_{k&lt;p} a_k φ_k(x) that is a linear combination of known non-linear functions, so that Bayesian linear
/// regression on the true basis (<see cref="ReferenceRegression"/>) gives the exact uncertainty a deep method can
/// be judged against. Everything random is drawn from <see cref="BenchmarkSettings.Seed"/> (basis and coefficients)
/// and the seed of each data set, with .NET's seeded <see cref="Random"/> and Box–Muller normals in float64, so a
/// problem is the same on every machine.
/// </summary>
/// <remarks>
/// The families (<see cref="BasisFamily"/>), d-dimensional:
/// <list type="bullet">
/// <item>trigonometric: w_k uniform on the unit sphere (a normalised normal vector), ω_k ~ U[1, ω_max];
/// φ_k(x) = sin(ω_k w_kᵀx) for even k, cos(ω_k w_kᵀx) for odd k;</item>
/// <item>radial bumps: c_k from the input distribution, φ_k(x) = exp(−‖x − c_k‖²/(2ℓ²)), ℓ = width·√d;</item>
/// <item>Legendre: P_0 = 1, P_1 = x, (m + 1)P_{m+1} = (2m + 1)x P_m − m P_{m−1}; multi-indices m_k ∈ ℕ^d in order of
/// total degree, within a degree in descending lexicographic order; φ_k(x) = Π_j P_{m_kj}(x_j).</item>
/// </list>
/// The coefficients follow <see cref="BenchmarkSettings.Coefficients"/>; the noise standard deviation is
/// σ = ρ·sd(f), sd(f) estimated over 20 000 inputs drawn with a seed derived from the problem's seed.
/// </remarks>
public sealed class BenchmarkProblem
{
    private readonly double[][] _directions;   // trigonometric: w_k; radial: c_k
    private readonly double[] _frequencies;
    private readonly int[][] _degrees;

    private BenchmarkProblem(BenchmarkSettings settings, double[][] directions, double[] frequencies, int[][] degrees, double[] coefficients)
    {
        Settings = settings;
        _directions = directions;
        _frequencies = frequencies;
        _degrees = degrees;
        Coefficients = coefficients;
        var scaleInputs = DrawInputs(20_000, Derive(settings.Seed, 7));
        var f = Function(scaleInputs);
        double mean = f.Average();
        FunctionStd = Math.Sqrt(f.Sum(v => (v - mean) * (v - mean)) / (f.Length - 1));
        NoiseStd = settings.NoiseLevel * FunctionStd;
    }

    /// <summary>The settings.</summary>
    public BenchmarkSettings Settings { get; }

    /// <summary>d.</summary>
    public int Dimension => Settings.Dimension;

    /// <summary>p.</summary>
    public int Terms => Settings.Terms;

    /// <summary>The coefficients a_k.</summary>
    public IReadOnlyList<double> Coefficients { get; }

    /// <summary>sd(f) over the input distribution.</summary>
    public double FunctionStd { get; }

    /// <summary>σ, the noise standard deviation of the observations.</summary>
    public double NoiseStd { get; }

    /// <summary>Trigonometric: the unit direction w_k; radial bumps: the centre c_k; Legendre: zeros.</summary>
    public IReadOnlyList<double> Direction(int k) => Settings.Family == BasisFamily.Legendre ? new double[Dimension] : _directions[k];

    /// <summary>Trigonometric: the frequency ω_k; otherwise 0.</summary>
    public double Frequency(int k) => _frequencies[k];

    /// <summary>The length ℓ = width·√d of the radial bumps.</summary>
    public double BumpLength => Settings.Width * Math.Sqrt(Dimension);

    /// <summary>The Legendre multi-index of term k (all zeros for the other families).</summary>
    public IReadOnlyList<int> Degrees(int k) => Settings.Family == BasisFamily.Legendre ? _degrees[k] : new int[Dimension];

    /// <summary>Draws the basis parameters and coefficients of a problem.</summary>
    public static BenchmarkProblem Create(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var rng = new Random(checked((int)(Derive(settings.Seed, 1) & 0x7fffffff)));
        int d = settings.Dimension, p = settings.Terms;
        var directions = new double[p][];
        var frequencies = new double[p];
        int[][] degrees = [];
        switch (settings.Family)
        {
            case BasisFamily.Trigonometric:
                for (int k = 0; k < p; k++)
                {
                    var w = new double[d];
                    double norm;
                    do
                    {
                        for (int j = 0; j < d; j++) w[j] = Normal(rng);
                        norm = Math.Sqrt(w.Sum(v => v * v));
                    } while (norm < 1e-12);
                    for (int j = 0; j < d; j++) w[j] /= norm;
                    directions[k] = w;
                    frequencies[k] = 1 + (settings.MaxFrequency - 1) * rng.NextDouble();
                }
                break;
            case BasisFamily.RadialBumps:
                for (int k = 0; k < p; k++)
                {
                    directions[k] = new double[d];
                    for (int j = 0; j < d; j++) directions[k][j] = DrawCoordinate(rng, settings.Inputs);
                }
                break;
            case BasisFamily.Legendre:
                degrees = MultiIndices(d, p);
                break;
        }
        var coefficients = new double[p];
        for (int k = 0; k < p; k++)
            coefficients[k] = settings.Coefficients == CoefficientLaw.Normal ? Normal(rng) : 2 * rng.NextDouble() - 1;
        return new BenchmarkProblem(settings, directions, frequencies, degrees, coefficients);
    }

    /// <summary>The first <paramref name="count"/> multi-indices in ℕ^d in order of total degree (descending lexicographic within a degree).</summary>
    public static int[][] MultiIndices(int dimension, int count)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be at least 1.");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The count must be >= 0.");
        var result = new List<int[]>();
        for (int total = 0; result.Count < count; total++)
        {
            var current = new int[dimension];
            void Fill(int j, int left)
            {
                if (result.Count >= count) return;
                if (j == dimension - 1)
                {
                    current[j] = left;
                    result.Add((int[])current.Clone());
                    return;
                }
                for (int m = left; m >= 0; m--)
                {
                    current[j] = m;
                    Fill(j + 1, left - m);
                }
            }
            Fill(0, total);
        }
        return [.. result];
    }

    /// <summary>The Legendre polynomial P_m(x) by the three-term recurrence.</summary>
    public static double LegendreP(int degree, double x)
    {
        if (degree < 0) throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree must be >= 0.");
        if (degree == 0) return 1;
        double previous = 1, current = x;
        for (int m = 1; m < degree; m++)
        {
            double next = ((2 * m + 1) * x * current - m * previous) / (m + 1);
            previous = current;
            current = next;
        }
        return current;
    }

    /// <summary>The design matrix Φ [n, p] with Φ_ik = φ_k(x_i) for inputs [n, d].</summary>
    public double[,] Basis(double[,] inputs)
    {
        CheckInputs(inputs);
        int n = inputs.GetLength(0), d = Dimension, p = Terms;
        var phi = new double[n, p];
        double twoL2 = 2 * Math.Pow(Settings.Width * Math.Sqrt(d), 2);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < p; k++)
            {
                double v;
                switch (Settings.Family)
                {
                    case BasisFamily.Trigonometric:
                        {
                            double t = 0;
                            for (int j = 0; j < d; j++) t += _directions[k][j] * inputs[i, j];
                            t *= _frequencies[k];
                            v = k % 2 == 0 ? Math.Sin(t) : Math.Cos(t);
                            break;
                        }
                    case BasisFamily.RadialBumps:
                        {
                            double r2 = 0;
                            for (int j = 0; j < d; j++) r2 += Math.Pow(inputs[i, j] - _directions[k][j], 2);
                            v = Math.Exp(-r2 / twoL2);
                            break;
                        }
                    default:
                        v = 1;
                        for (int j = 0; j < d; j++) v *= LegendreP(_degrees[k][j], inputs[i, j]);
                        break;
                }
                phi[i, k] = v;
            }
        return phi;
    }

    /// <summary>f(x) for inputs [n, d].</summary>
    public double[] Function(double[,] inputs)
    {
        var phi = Basis(inputs);
        int n = phi.GetLength(0);
        var f = new double[n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < Terms; k++) f[i] += Coefficients[k] * phi[i, k];
        return f;
    }

    /// <summary>
    /// A data set of <paramref name="count"/> points drawn with <paramref name="seed"/>: x from the input
    /// distribution, y = f(x) + N(0, σ²); with <paramref name="inputNoise"/> (σ_x per input, or one value for all)
    /// also the observed inputs x + N(0, σ_x²) (errors-in-variables data).
    /// </summary>
    public BenchmarkData Sample(int count, long seed, double[]? inputNoise = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A data set needs at least one point.");
        var sx = InputNoise(inputNoise, Dimension);
        var x = DrawInputs(count, Derive(seed, 11));
        var f = Function(x);
        var rng = new Random(checked((int)(Derive(seed, 12) & 0x7fffffff)));
        var y = new double[count];
        for (int i = 0; i < count; i++) y[i] = f[i] + NoiseStd * Normal(rng);
        var noisy = x;
        if (sx.Any(s => s > 0))
        {
            noisy = (double[,])x.Clone();
            var rx = new Random(checked((int)(Derive(seed, 13) & 0x7fffffff)));
            for (int i = 0; i < count; i++)
                for (int j = 0; j < Dimension; j++) noisy[i, j] += sx[j] * Normal(rx);
        }
        return new BenchmarkData(x, noisy, f, y);
    }

    /// <summary>
    /// Expands σ_x given as one value (all inputs) or one per input into one per input; null is no input noise.
    /// Throws for a negative or non-finite value or a wrong count.
    /// </summary>
    public static double[] InputNoise(double[]? sigma, int dimension)
    {
        if (sigma is null || sigma.Length == 0) return new double[dimension];
        foreach (var s in sigma)
            if (!(s >= 0) || !double.IsFinite(s)) throw new ArgumentOutOfRangeException(nameof(sigma), s, "The input noise σ_x must be finite and >= 0.");
        if (sigma.Length == 1) return Enumerable.Repeat(sigma[0], dimension).ToArray();
        if (sigma.Length != dimension) throw new ArgumentException($"σ_x has {sigma.Length} values but the inputs have {dimension} dimensions; give one value or one per input.", nameof(sigma));
        return (double[])sigma.Clone();
    }

    /// <summary>Inputs [count, d] from the problem's input distribution.</summary>
    public double[,] DrawInputs(int count, long seed)
    {
        var rng = new Random(checked((int)(seed & 0x7fffffff)));
        var x = new double[count, Dimension];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < Dimension; j++) x[i, j] = DrawCoordinate(rng, Settings.Inputs);
        return x;
    }

    /// <summary>An evenly spaced grid of <paramref name="count"/> points along the first input (the others at 0), [count, d], for plots.</summary>
    public double[,] Line(int count, double from = -1, double to = 1)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "A line needs at least 2 points.");
        var x = new double[count, Dimension];
        for (int i = 0; i < count; i++) x[i, 0] = from + (to - from) * i / (count - 1);
        return x;
    }

    /// <inheritdoc />
    public override string ToString() => Settings.Label + string.Create(CultureInfo.InvariantCulture, $", sd(f) = {FunctionStd:G3}, σ = {NoiseStd:G3}");

    private void CheckInputs(double[,] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.GetLength(1) != Dimension)
            throw new ArgumentException($"The inputs have {inputs.GetLength(1)} columns but the problem has d = {Dimension} dimensions.", nameof(inputs));
        foreach (var v in inputs)
            if (!double.IsFinite(v)) throw new ArgumentException("The inputs contain NaN or infinite values.", nameof(inputs));
    }

    private static double DrawCoordinate(Random rng, InputDistribution law) =>
        law == InputDistribution.Uniform ? 2 * rng.NextDouble() - 1 : 0.5 * Normal(rng);

    /// <summary>A standard normal draw (Box–Muller).</summary>
    internal static double Normal(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A seed derived from a seed and a purpose (splitmix64 mixing).</summary>
    internal static long Derive(long seed, long purpose)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)purpose * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)((z ^ (z >> 31)) & 0x7fffffffffffffffUL);
    }
}
