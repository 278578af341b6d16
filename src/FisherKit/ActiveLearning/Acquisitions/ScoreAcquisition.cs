using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// An acquisition that scores each candidate independently and takes the top <c>count</c> scores
/// (ties go to the earlier candidate), as in Gal et al. (2017), where the batch is the top-k of the score.
/// </summary>
public abstract class ScoreAcquisition : IAcquisition
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>One score per candidate (higher = more worth labelling), (M) float64 on the CPU.</summary>
    public abstract Tensor Score(AcquisitionContext context);

    /// <inheritdoc />
    public IReadOnlyList<long> Select(AcquisitionContext context, int count)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be ≥ 0");
        if (count == 0 || context.Candidates.Count == 0) return [];
        double[] s;
        using (var scores = Score(context))
        {
            if (scores.ndim != 1 || scores.shape[0] != context.Candidates.Count)
                throw new InvalidOperationException($"{Name} returned scores of shape {TensorChecks.Shape(scores.shape)} for {context.Candidates.Count} candidates.");
            using var d = scores.to(ScalarType.Float64, CPU);
            s = d.ToArray<double>();
        }
        return TensorUtil.TopK(s, count).Select(i => context.Candidates[i]).ToList();
    }
}
