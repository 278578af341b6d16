using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Uniformly random choice among the candidates (the baseline), from a generator seeded by the context's seed.</summary>
public sealed class RandomAcquisition : IAcquisition
{
    /// <inheritdoc />
    public string Name => "Random";

    /// <inheritdoc />
    public IReadOnlyList<long> Select(AcquisitionContext context, int count)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be ≥ 0");
        var m = context.Candidates.Count;
        if (m == 0 || count == 0) return [];
        using var gen = new Generator((ulong)context.Seed);
        using var perm = randperm(m, generator: gen);
        return perm.ToArray<long>().Take(Math.Min(count, m)).Select(i => context.Candidates[(int)i]).ToList();
    }
}
