using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Base of the acquisitions that score candidates from posterior samples of an
/// <see cref="IPosteriorSampler"/> (MC dropout with T passes, or ensemble members): the
/// <see cref="AcquisitionFamily.Uncertainty"/> family. A subclass gives its name and its score of the samples.
/// </summary>
public abstract class PosteriorAcquisition : ScoreAcquisition
{
    private readonly bool _classificationOnly;

    /// <summary>
    /// Uses <paramref name="samples"/> posterior draws per round (T; ignored by ensembles); a score of class
    /// probabilities is <paramref name="classificationOnly"/>.
    /// </summary>
    protected PosteriorAcquisition(int samples, bool classificationOnly)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one posterior sample is needed.");
        Samples = samples;
        _classificationOnly = classificationOnly;
    }

    /// <summary>Posterior draws T per round.</summary>
    public int Samples { get; }

    /// <inheritdoc />
    public sealed override AcquisitionFamily Family => AcquisitionFamily.Uncertainty;

    /// <summary>The score from the samples (S, N, C|D).</summary>
    protected abstract Tensor ScoreSamples(Tensor samples);

    /// <summary>
    /// Whether the score measures the spread of the samples (BALD, variation ratios, mean STD, variance). Such a score
    /// is refused for a network without dropout, whose samples all agree: it would rank candidates by rounding noise.
    /// </summary>
    protected virtual bool ScoresSpread => true;

    /// <inheritdoc />
    protected sealed override string? UnsupportedReason(TaskKind task) =>
        _classificationOnly && task != TaskKind.Classification ? "it scores class probabilities; use mean STD or ensemble variance for regression." : null;

    /// <inheritdoc />
    protected sealed override Tensor ScoreCandidates(AcquisitionContext context)
    {
        var sampler = RequireModel<IPosteriorSampler>(context);
        if (ScoresSpread && sampler is NetworkModel { HasDropout: false })
            throw new InvalidOperationException($"{Name} scores the spread of MC-dropout samples, but the network has no dropout layer, so all samples agree " +
                "and the candidates would be ranked by rounding noise; add dropout (McDropoutLayer, nn.Dropout) or use an EnsembleModel.");
        using var scope = NewDisposeScope();
        var x = context.CandidateInputs();
        var draws = sampler.SamplePredictions(x, Samples, context.Seed);
        return scope.MoveToOuter(ScoreSamples(draws));
    }
}
