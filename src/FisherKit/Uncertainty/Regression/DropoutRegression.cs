using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// MC dropout (Gal &amp; Ghahramani 2016) and errors-in-variables dropout networks (Martin &amp; Elster 2022) for
/// regression on vector inputs: one <see cref="RegressionNetwork"/> with dropout, trained with the
/// <see cref="EiVLoss"/> (K = 1 and σ_x = 0: MC dropout), predicting with T stochastic passes.
/// </summary>
/// <remarks>
/// At a test input x, pass t draws one dropout mask θ_t and, for EiV with input noise at prediction, K inputs
/// ζ_tk = x + σ_x η_tk sharing it; F_tk = f_{θ_t}(ζ_tk). The law of total variance splits Var F into
/// E_θ Var_ζ F (input noise) and Var_θ E_ζ F (epistemic), estimated without bias for finite K as in a one-way
/// analysis of variance (<see cref="SplitInputNoise"/>): input noise = mean_t of the sample variances over k
/// (divisor K − 1); epistemic = the population variance over t of the pass means mean_k F_tk (as ensemble members are
/// combined by <see cref="EnsembleCombination"/>) less the part that the averaging of only K draws adds to it,
/// ((T − 1)/T)·(input noise)/K. (Plain population variances would move a fraction 1/K of the input-noise part into
/// the epistemic one.) Output noise = σ_y²; mean μ = mean_{t,k} F_tk. The epistemic part shrinks with more data;
/// the input-noise part does not (the test input itself is noisy), so it belongs to the aleatoric part. Without input
/// noise (MC dropout, or EiV asked for the noise-free input) K = 1 and the input-noise part is 0.
/// </remarks>
public sealed class DropoutRegression : IRegressionUncertainty, IDisposable
{
    private readonly RegressionNetwork _network;
    private readonly double[] _sigmaX;   // network units

    private DropoutRegression(RegressionNetwork network, Standardization scaling, NetworkRegressionOptions options, double[] sigmaX, int draws, TrainingRun run)
    {
        _network = network;
        Scaling = scaling;
        Options = options;
        _sigmaX = sigmaX;
        InputDraws = draws;
        Run = run;
    }

    /// <inheritdoc />
    public string Name => IsErrorsInVariables ? "EiV dropout" : "MC dropout";

    /// <summary>True when trained as an errors-in-variables network.</summary>
    public bool IsErrorsInVariables => _sigmaX.Any(s => s > 0);

    /// <summary>The settings.</summary>
    public NetworkRegressionOptions Options { get; }

    /// <summary>The standardisation of the training data.</summary>
    public Standardization Scaling { get; }

    /// <summary>K, input draws per example and pass.</summary>
    public int InputDraws { get; }

    /// <summary>How the network was obtained (trained or loaded; learning curves).</summary>
    public TrainingRun Run { get; }

    /// <summary>The network (owned).</summary>
    public RegressionNetwork Network => _network;

    /// <summary>σ_y in the data's units.</summary>
    public double NoiseStd => _network.NoiseStd * Scaling.TargetStd;

    /// <summary>
    /// Trains an MC-dropout network on inputs [N, d] and targets [N]; with <paramref name="inputNoise"/> (σ_x in the
    /// data's units: one value or one per input) an errors-in-variables network with K = <paramref name="inputDraws"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Bad data, σ_x &lt; 0 or of the wrong length, K &lt; 1, or options without dropout.</exception>
    public static DropoutRegression Train(Tensor inputs, Tensor targets, NetworkRegressionOptions options, double[]? inputNoise = null, int inputDraws = 5,
        IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!(options.Dropout > 0)) throw new ArgumentException("MC dropout and EiV need Dropout > 0; with none every pass is identical.", nameof(options));
        if (inputDraws < 1) throw new ArgumentOutOfRangeException(nameof(inputDraws), inputDraws, "K, the input draws per example, must be at least 1.");
        Standardization.CheckData(inputs, targets);
        int d = (int)inputs.shape[1];
        var scaling = Standardization.Fit(inputs, targets);
        var sigmaX = scaling.InputNoise(inputNoise);
        bool eiv = sigmaX.Any(s => s > 0);
        int k = eiv ? inputDraws : 1;
        var network = new RegressionNetwork(options.Network(d, dropout: true, sigmaX, k), options.Seed);
        try
        {
            using var scope = NewDisposeScope();
            var run = RegressionTraining.Fit(network, scaling.Inputs(inputs), scaling.Targets(targets), options.Training, options.Seed, options.Cache,
                eiv ? "regression-eiv" : "regression-mc-dropout", progress);
            return new DropoutRegression(network, scaling, options, sigmaX, k, run);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public RegressionPrediction Predict(Tensor inputs) => Predict(inputs, inputNoise: true);

    /// <summary>
    /// The predictive distribution at inputs [N, d]; <paramref name="inputNoise"/> = false treats them as noise-free
    /// (K = 1, no input draws: the EiV network's uncertainty about f at the true input). Reproducible for a given
    /// <paramref name="seed"/> (default: the options' seed) and <paramref name="batchSize"/>: the dropout masks are drawn
    /// per batch of at most <paramref name="batchSize"/> inputs, so another batch size gives other draws.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> &lt; 1.</exception>
    public RegressionPrediction Predict(Tensor inputs, bool inputNoise, long? seed = null, int batchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        using var scope = NewDisposeScope();
        var x = Scaling.Inputs(inputs);
        bool noisy = inputNoise && IsErrorsInVariables;
        int k = noisy ? InputDraws : 1;
        using var sigma = tensor(noisy ? _sigmaX.Select(v => (float)v).ToArray() : new float[_sigmaX.Length]);
        int t = Options.Passes;
        long n = x.shape[0];
        var passes = new double[t][];         // pass means over k, data units
        var within = new double[n];           // mean_t of the sample variance over k of F
        using var generator = new Generator((ulong)Benchmark.BenchmarkProblem.Derive(seed ?? Options.Seed, 99));
        _network.Generator = generator;
        try
        {
            using var grad = no_grad();
            using var mode = ModuleMode.Train(_network);
            for (int p = 0; p < t; p++)
            {
                passes[p] = new double[n];
                for (long start = 0; start < n; start += batchSize)
                {
                    using var batchScope = NewDisposeScope();
                    long count = Math.Min(batchSize, n - start);
                    var f = (_network.Draws(x.narrow(0, start, count), k, sigma).to(ScalarType.Float64) * Hold(Scaling.TargetStd)).add(Hold(Scaling.TargetMean), One); // [b, K]
                    var m = f.mean([1]).data<double>().ToArray();
                    var v = k > 1 ? f.var(1, unbiased: true).data<double>().ToArray() : new double[count];
                    for (long i = 0; i < count; i++)
                    {
                        passes[p][start + i] = m[i];
                        within[start + i] += v[i] / t;
                    }
                }
            }
        }
        finally
        {
            _network.Generator = null;
        }
        var flat = new double[t * n];
        for (int p = 0; p < t; p++) Array.Copy(passes[p], 0, flat, p * n, n);
        using var means = tensor(flat, [t, n]);
        using var combined = EnsembleCombination.Combine(means);
        var mean = combined.Mean.data<double>().ToArray();
        var epistemic = SplitInputNoise(combined.EpistemicVariance.data<double>().ToArray(), within, k, t);
        double s2 = Math.Pow(NoiseStd, 2);
        return new RegressionPrediction(noisy ? Name : Name + (IsErrorsInVariables ? " (noise-free input)" : ""), mean, epistemic,
            Enumerable.Repeat(s2, (int)n).ToArray(), within, double.PositiveInfinity, passes);
    }

    /// <summary>
    /// The epistemic part Var_θ E_ζ F from the population variance over T passes of the pass means (each the mean of K
    /// draws) and the input-noise part W (the mean over passes of the sample variances over the K draws, unbiased):
    /// the pass means' variance holds W/K besides the epistemic part, in expectation ((T − 1)/T)·(B + W/K); taking
    /// ((T − 1)/T)·W/K out leaves ((T − 1)/T)·B, the population-variance convention of MC dropout's epistemic part.
    /// Where the sampling noise makes the difference negative, the estimate is 0 (a variance is not negative).
    /// </summary>
    internal static double[] SplitInputNoise(double[] passMeanVariance, double[] inputNoise, int k, int passes)
    {
        if (k == 1) return passMeanVariance;
        double drawNoise = (passes - 1.0) / passes / k;
        var epistemic = new double[passMeanVariance.Length];
        for (int i = 0; i < epistemic.Length; i++) epistemic[i] = Math.Max(0, passMeanVariance[i] - drawNoise * inputNoise[i]);
        return epistemic;
    }

    /// <summary>Disposes the network.</summary>
    public void Dispose() => _network.Dispose();
}
