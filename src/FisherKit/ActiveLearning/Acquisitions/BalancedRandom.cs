using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// An initial set with the same number of points from every class, drawn at random within each class
/// (Gal et al. 2017: 2 images of each of the 10 classes). It reads the pool's known labels, so it is an
/// initial-sample strategy for benchmarks, not an acquisition for unlabelled data. When
/// <c>count</c> is not a multiple of the number of classes, the first classes get one more.
/// </summary>
public sealed class BalancedRandom : Acquisition
{
    /// <inheritdoc />
    public override string Name => "Balanced random";

    /// <inheritdoc />
    /// <remarks>Random: the draw is random within each class; the labels only stratify it (see <see cref="AcquisitionFamily.Random"/>).</remarks>
    public override AcquisitionFamily Family => AcquisitionFamily.Random;

    /// <inheritdoc />
    protected override string? UnsupportedReason(TaskKind task) =>
        task != TaskKind.Classification ? "a balanced initial set draws the same number of points from every class; use random or GSx for regression." : null;

    /// <inheritdoc />
    protected override IReadOnlyList<long> Choose(AcquisitionContext context, int count)
    {
        var targets = context.Pool.Targets ?? throw new InvalidOperationException("A balanced initial set reads the pool's labels, and this pool has none.");
        var classes = context.Pool.Classes;
        using var y = TensorUtil.Rows(targets, context.Candidates);
        var labels = y.ToArray<long>();
        using var gen = new Generator((ulong)context.Seed);
        var result = new List<long>();
        for (int c = 0; c < classes; c++)
        {
            int want = count / classes + (c < count % classes ? 1 : 0);
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            if (members.Length < want) throw new InvalidOperationException($"Class {c} has {members.Length} candidates, a balanced set of {count} needs {want}.");
            using var perm = randperm(members.Length, generator: gen);
            result.AddRange(perm.ToArray<long>().Take(want).Select(i => context.Candidates[members[i]]));
        }
        return result;
    }
}
