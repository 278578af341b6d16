using FisherKit.Fisher.Curvature;
using FisherKit.Fisher.Likelihoods;
using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// A Laplace approximation of the posterior of a trained <see cref="RegressionNetwork"/> (no dropout), built on the
/// Fisher toolkit: around the trained weights θ̂ the posterior is N(θ̂, H⁻¹) with
/// <c>H = G + λI</c>, G the generalised Gauss–Newton matrix of the Gaussian likelihood summed over the training set
/// (<see cref="FisherOperator"/> with <see cref="FisherKind.GeneralizedGaussNewton"/>, Σ_n J_nᵀJ_n/σ_y²), λ the prior
/// precision (by default the one the training's weight decay implies: weight decay × n). The linearised network
/// gives the epistemic variance J(x)H⁻¹J(x)ᵀ of f(x); the aleatoric part is σ_y². With
/// <see cref="LaplaceKind.LastLayer"/> only the last linear layer's weights are uncertain (its inputs the fixed
/// features), where the GGN is the exact Hessian; with <see cref="LaplaceKind.GeneralizedGaussNewton"/> all weights of
/// the mean network are (dense, so for networks of at most <see cref="FisherOperator.MaxDenseSize"/> weights).
/// Computed in float64 through a Cholesky factor of H.
/// </summary>
public sealed class LaplaceRegression : IRegressionUncertainty, IDisposable
{
    private readonly RegressionNetwork _network;
    private readonly Tensor _cholesky;

    private readonly bool _ownsNetwork;

    private LaplaceRegression(RegressionNetwork network, Standardization scaling, NetworkRegressionOptions options, LaplaceKind kind, double prior, Tensor cholesky, TrainingRun run, bool ownsNetwork = true)
    {
        _ownsNetwork = ownsNetwork;
        _network = network;
        Scaling = scaling;
        Options = options;
        Kind = kind;
        PriorPrecision = prior;
        _cholesky = cholesky;
        Run = run;
    }

    /// <inheritdoc />
    public string Name => Kind == LaplaceKind.LastLayer ? "last-layer Laplace" : "GGN Laplace";

    /// <summary>Which weights are uncertain.</summary>
    public LaplaceKind Kind { get; }

    /// <summary>λ.</summary>
    public double PriorPrecision { get; }

    /// <summary>The settings.</summary>
    public NetworkRegressionOptions Options { get; }

    /// <summary>The standardisation of the training data.</summary>
    public Standardization Scaling { get; }

    /// <summary>How the network was obtained.</summary>
    public TrainingRun Run { get; }

    /// <summary>The network (owned).</summary>
    public RegressionNetwork Network => _network;

    /// <summary>
    /// Trains (or loads: the same key as ensemble member 0 with the same options) a network without dropout on inputs
    /// [N, d] and targets [N] and fits the Laplace approximation; <paramref name="priorPrecision"/> overrides λ.
    /// </summary>
    public static LaplaceRegression Train(Tensor inputs, Tensor targets, NetworkRegressionOptions options, LaplaceKind kind = LaplaceKind.LastLayer,
        double? priorPrecision = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown Laplace kind.");
        Standardization.CheckData(inputs, targets);
        long n = inputs.shape[0];
        double lambda = priorPrecision ?? options.Training.WeightDecayFor(n) * n;
        if (!(lambda > 0) || !double.IsFinite(lambda))
            throw new ArgumentException($"The prior precision is {lambda}; give a positive priorPrecision or train with weight decay.", nameof(priorPrecision));
        var scaling = Standardization.Fit(inputs, targets);
        var network = new RegressionNetwork(options.Network((int)inputs.shape[1], dropout: false), options.Seed);
        try
        {
            using var scope = NewDisposeScope();
            var x = scaling.Inputs(inputs);
            var y = scaling.Targets(targets);
            var run = RegressionTraining.Fit(network, x, y, options.Training, options.Seed, options.Cache, "regression-ensemble-member", progress);
            var l = Factor(network, kind, x, y, lambda);
            return new LaplaceRegression(network, scaling, options, kind, lambda, scope.MoveToOuter(l), run);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The Laplace approximation around member <paramref name="member"/> of a trained ensemble (no second training;
    /// the member stays owned by the ensemble, which must outlive this object), on the ensemble's training data.
    /// </summary>
    public static LaplaceRegression AroundMember(EnsembleRegression ensemble, int member, Tensor inputs, Tensor targets, LaplaceKind kind = LaplaceKind.LastLayer, double? priorPrecision = null)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        if (member < 0 || member >= ensemble.Members.Count) throw new ArgumentOutOfRangeException(nameof(member), member, $"The ensemble has {ensemble.Members.Count} members.");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown Laplace kind.");
        Standardization.CheckData(inputs, targets);
        long n = inputs.shape[0];
        double lambda = priorPrecision ?? ensemble.Options.Training.WeightDecayFor(n) * n;
        if (!(lambda > 0) || !double.IsFinite(lambda))
            throw new ArgumentException($"The prior precision is {lambda}; give a positive priorPrecision or train with weight decay.", nameof(priorPrecision));
        using var scope = NewDisposeScope();
        var network = (RegressionNetwork)ensemble.Members[member];
        network.eval();
        var l = Factor(network, kind, ensemble.Scaling.Inputs(inputs), ensemble.Scaling.Targets(targets), lambda);
        return new LaplaceRegression(network, ensemble.Scaling, ensemble.Options with { Seed = ensemble.Options.Seed + 1000L * member }, kind, lambda,
            scope.MoveToOuter(l), ensemble.Runs[member], ownsNetwork: false);
    }

    private static Tensor Factor(RegressionNetwork network, LaplaceKind kind, Tensor x, Tensor y, double lambda)
    {
        using var scope = NewDisposeScope();
        network.eval();
        var (module, z) = Curvature(network, kind, x);
        using var op = FisherOperator.FromTensors(module, new Gaussian(network.NoiseStd), z, y.reshape(-1, 1), 512, FisherKind.GeneralizedGaussNewton, Normalization.Sum);
        var ggn = op.ToDense();
        var h = ggn.to(ScalarType.Float64).add(eye(ggn.shape[0], dtype: ScalarType.Float64) * Hold(lambda), One);
        return scope.MoveToOuter(linalg.cholesky(h.add(h.t(), One) * Hold(0.5)).to(ScalarType.Float64));
    }

    /// <summary>Number of weights treated as uncertain.</summary>
    public long Size => _cholesky.shape[0];

    /// <inheritdoc />
    public RegressionPrediction Predict(Tensor inputs) => Predict(inputs, Options.Passes);

    /// <summary>The predictive distribution at inputs [N, d], with <paramref name="samples"/> draws of the linearised network.</summary>
    public RegressionPrediction Predict(Tensor inputs, int samples, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (samples < 0) throw new ArgumentOutOfRangeException(nameof(samples), samples, "The number of samples must be >= 0.");
        using var scope = NewDisposeScope();
        var x = Scaling.Inputs(inputs);
        using var mode = ModuleMode.Eval(_network);
        Tensor mean;
        using (no_grad()) mean = _network.call(x).reshape(-1).to(ScalarType.Float64);
        var (module, z) = Curvature(_network, Kind, x);
        using var op = FisherOperator.FromTensors(module, new Gaussian(1), z, null, 512, FisherKind.True, Normalization.Sum);
        var (factor, _) = op.FactorRows();                                               // [N, P]: J(x) per input (Gaussian(1): M = 1)
        var rows = factor.to(ScalarType.Float64);
        var w = linalg.solve_triangular(_cholesky, rows.t(), upper: false);             // L⁻¹Jᵀ, [P, N]
        double s = Scaling.TargetStd;
        var epistemic = (w.pow(Hold(2)).sum([0]) * Hold(s * s)).data<double>().ToArray();
        var mu = (mean * Hold(s)).add(Hold(Scaling.TargetMean), One).data<double>().ToArray();
        double[][]? draws = null;
        if (samples > 0)
        {
            using var g = new Generator((ulong)Benchmark.BenchmarkProblem.Derive(seed ?? Options.Seed, 77));
            var e = randn([_cholesky.shape[0], samples], dtype: ScalarType.Float64, generator: g);
            var delta = linalg.solve_triangular(_cholesky.t(), e, upper: true);         // N(0, H⁻¹) draws, [P, S]
            var f = (rows.matmul(delta).t() * Hold(s)).add((mean * Hold(s)).add(Hold(Scaling.TargetMean), One), One);         // [S, N]
            draws = Enumerable.Range(0, samples).Select(i => f[i].data<double>().ToArray()).ToArray();
        }
        double s2 = Math.Pow(_network.NoiseStd * s, 2);
        return new RegressionPrediction(Name, mu, epistemic, Enumerable.Repeat(s2, mu.Length).ToArray(), null, double.PositiveInfinity, draws);
    }

    private static (nn.Module<Tensor, Tensor> Module, Tensor Inputs) Curvature(RegressionNetwork network, LaplaceKind kind, Tensor x)
    {
        if (kind == LaplaceKind.GeneralizedGaussNewton) return (network.Mean, x);
        using var mode = ModuleMode.Eval(network);
        using var _ = no_grad();
        return (network.Head, network.Body.call(x));
    }

    /// <summary>Disposes the network and the factor.</summary>
    public void Dispose()
    {
        if (_ownsNetwork) _network.Dispose();
        _cholesky.Dispose();
    }
}
