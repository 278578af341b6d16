using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// A deep ensemble (Lakshminarayanan et al. 2017) of M <see cref="RegressionNetwork"/>s without dropout, member m
/// initialised, shuffled and cached with the seed <c>Seed + 1000·m</c>, each trained with the Gaussian negative
/// log-likelihood. Predictions are combined by <see cref="EnsembleCombination"/>, the same code as notebook 03's
/// U-Net ensembles: mean of the member means, aleatoric = mean σ_y,m², epistemic = spread of the member means,
/// optionally enlarged by the finite-ensemble correction (<see cref="EnsembleCorrection.FiniteEnsemble"/>,
/// candidate C1 of the Bayesian-perspective reading of Hoffmann &amp; Elster 2021: × (M + 1)/(M − 3), Student-t with
/// M − 1 degrees of freedom).
/// </summary>
public sealed class EnsembleRegression : IRegressionUncertainty, IDisposable
{
    private readonly RegressionNetwork[] _members;
    private readonly bool _owner;

    private EnsembleRegression(RegressionNetwork[] members, Standardization scaling, NetworkRegressionOptions options, EnsembleCorrection correction, bool owner, IReadOnlyList<TrainingRun> runs)
    {
        _members = members;
        Scaling = scaling;
        Options = options;
        Correction = correction;
        _owner = owner;
        Runs = runs;
    }

    /// <inheritdoc />
    public string Name => Correction == EnsembleCorrection.None ? "deep ensemble" : "deep ensemble (corrected)";

    /// <summary>The correction of the epistemic part.</summary>
    public EnsembleCorrection Correction { get; }

    /// <summary>The settings.</summary>
    public NetworkRegressionOptions Options { get; }

    /// <summary>The standardisation of the training data.</summary>
    public Standardization Scaling { get; }

    /// <summary>The members.</summary>
    public IReadOnlyList<RegressionNetwork> Members => _members;

    /// <summary>How each member was obtained.</summary>
    public IReadOnlyList<TrainingRun> Runs { get; }

    /// <summary>Trains (or loads) M members on inputs [N, d] and targets [N].</summary>
    /// <exception cref="ArgumentException">Bad data, M &lt; 2, or the finite-ensemble correction with M &lt; 4.</exception>
    public static EnsembleRegression Train(Tensor inputs, Tensor targets, NetworkRegressionOptions options, int members = 5,
        EnsembleCorrection correction = EnsembleCorrection.None, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (members < 2) throw new ArgumentOutOfRangeException(nameof(members), members, "An ensemble needs at least 2 members.");
        CheckCorrection(correction, members);
        Standardization.CheckData(inputs, targets);
        var scaling = Standardization.Fit(inputs, targets);
        var nets = new List<RegressionNetwork>();
        var runs = new List<TrainingRun>();
        try
        {
            using var x = scaling.Inputs(inputs);
            using var y = scaling.Targets(targets);
            for (int m = 0; m < members; m++)
            {
                long seed = options.Seed + 1000L * m;
                var net = new RegressionNetwork(options.Network((int)inputs.shape[1], dropout: false), seed);
                nets.Add(net);
                runs.Add(RegressionTraining.Fit(net, x, y, options.Training, seed, options.Cache, "regression-ensemble-member", progress, m));
            }
        }
        catch
        {
            foreach (var n in nets) n.Dispose();
            throw;
        }
        return new EnsembleRegression([.. nets], scaling, options, correction, owner: true, runs);
    }

    /// <summary>The same members with another correction (a view: disposing it leaves the members alone).</summary>
    public EnsembleRegression WithCorrection(EnsembleCorrection correction)
    {
        CheckCorrection(correction, _members.Length);
        return new EnsembleRegression(_members, Scaling, Options, correction, owner: false, Runs);
    }

    /// <inheritdoc />
    public RegressionPrediction Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var x = Scaling.Inputs(inputs);
        var means = new List<Tensor>();
        var variances = new List<Tensor>();
        foreach (var net in _members)
        {
            using var mode = ModuleMode.Eval(net);
            var mu = (net.call(x).reshape(-1).to(ScalarType.Float64) * Hold(Scaling.TargetStd)).add(Hold(Scaling.TargetMean), One);
            means.Add(mu);
            variances.Add(full_like(mu, Hold(Math.Pow(net.NoiseStd * Scaling.TargetStd, 2))));
        }
        var p = EnsembleCombination.Combine(stack(means), stack(variances), Correction);
        var samples = means.Select(m => m.data<double>().ToArray()).ToArray();
        var mean = p.Mean.data<double>().ToArray();
        var epistemic = p.EpistemicVariance.data<double>().ToArray();
        var aleatoric = p.AleatoricVariance.data<double>().ToArray();
        double nu = p.DegreesOfFreedom;
        return new RegressionPrediction(Name, mean, epistemic, aleatoric, null, nu, samples);
    }

    private static void CheckCorrection(EnsembleCorrection correction, int members)
    {
        EnsembleCombination.CheckCorrection(correction);
        if (correction.HasFlag(EnsembleCorrection.LocalPosterior))
            throw new ArgumentException("The LocalPosterior correction is available for U-Net ensembles only; use LaplaceRegression for a local posterior here.", nameof(correction));
        if (correction.HasFlag(EnsembleCorrection.FiniteEnsemble)) EnsembleCombination.FiniteEnsembleFactor(members);
    }

    /// <summary>Disposes the members (not for a view made by <see cref="WithCorrection"/>).</summary>
    public void Dispose()
    {
        if (!_owner) return;
        foreach (var n in _members) n.Dispose();
    }
}
