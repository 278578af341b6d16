using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Base of the acquisitions that score candidates from posterior samples of an
/// <see cref="IPosteriorSampler"/> (MC dropout with T passes, or ensemble members).
/// </summary>
public abstract class PosteriorAcquisition : ScoreAcquisition
{
    /// <summary>Uses <paramref name="samples"/> posterior draws per round (T; ignored by ensembles).</summary>
    protected PosteriorAcquisition(int samples)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one posterior sample is needed.");
        Samples = samples;
    }

    /// <summary>Posterior draws T per round.</summary>
    public int Samples { get; }

    /// <summary>Whether the score is defined for <paramref name="task"/>.</summary>
    protected abstract bool Supports(TaskKind task);

    /// <summary>The score from the samples (S, N, C|D).</summary>
    protected abstract Tensor ScoreSamples(Tensor samples);

    /// <inheritdoc />
    public override Tensor Score(AcquisitionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Supports(context.Task)) throw new NotSupportedException($"{Name} is not defined for {context.Task.ToString().ToLowerInvariant()}; use mean STD or ensemble variance for regression.");
        var sampler = context.RequireModel<IPosteriorSampler>(Name);
        using var scope = NewDisposeScope();
        var x = context.CandidateInputs();
        var draws = sampler.SamplePredictions(x, Samples, context.Seed);
        return scope.MoveToOuter(ScoreSamples(draws));
    }
}
