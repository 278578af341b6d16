using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Uniformly random choice among the candidates (the baseline), from a generator seeded by the context's seed.</summary>
public sealed class RandomAcquisition : Acquisition
{
    /// <inheritdoc />
    public override string Name => "Random";

    /// <inheritdoc />
    public override AcquisitionFamily Family => AcquisitionFamily.Random;

    /// <inheritdoc />
    protected override IReadOnlyList<long> Choose(AcquisitionContext context, int count)
    {
        using var gen = new Generator((ulong)context.Seed);
        using var perm = randperm(context.Candidates.Count, generator: gen);
        return perm.ToArray<long>().Take(count).Select(i => context.Candidates[(int)i]).ToList();
    }
}
