using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// An acquisition that scores each candidate independently and takes the top <c>count</c> scores
/// (ties go to the earlier candidate), as in Gal et al. (2017), where the batch is the top-k of the score.
/// </summary>
public abstract class ScoreAcquisition : Acquisition
{
    /// <summary>
    /// One score per candidate (higher = more worth labelling), (M) float64 on the CPU, after the checks of
    /// <see cref="Acquisition"/> (null context, task).
    /// </summary>
    public Tensor Score(AcquisitionContext context)
    {
        CheckArguments(context);
        // No candidates, no scores (the scorers' batched passes would have nothing to concatenate).
        return context.Candidates.Count == 0 ? zeros([0], ScalarType.Float64) : ScoreCandidates(context);
    }

    /// <summary>The scores of <see cref="Score"/>; the arguments have been checked.</summary>
    protected abstract Tensor ScoreCandidates(AcquisitionContext context);

    /// <inheritdoc />
    protected sealed override IReadOnlyList<long> Choose(AcquisitionContext context, int count)
    {
        double[] s;
        using (var scores = ScoreCandidates(context))
        {
            if (scores.ndim != 1 || scores.shape[0] != context.Candidates.Count)
                throw new InvalidOperationException($"{Name} returned scores of shape {TensorChecks.Shape(scores.shape)} for {context.Candidates.Count} candidates.");
            using var d = scores.to(ScalarType.Float64, CPU);
            s = d.ToArray<double>();
        }
        // A NaN score would rank last without a word (a diverged model, usually): name it instead.
        if (Array.FindIndex(s, double.IsNaN) is var bad and >= 0)
            throw new InvalidOperationException($"{Name} scored candidate {context.Candidates[bad]} (and perhaps others) NaN; the model's predictions are not finite.");
        return TensorUtil.TopK(s, count).Select(i => context.Candidates[i]).ToList();
    }
}
