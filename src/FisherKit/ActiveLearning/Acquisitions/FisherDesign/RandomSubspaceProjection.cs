using FisherKit.Fisher;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>A random Gaussian subspace of all parameters (see <see cref="FisherProjection.RandomSubspace"/>).</summary>
internal sealed class RandomSubspaceProjection : FisherProjection
{
    private readonly int _dimension;
    private readonly long _seed;
    private const long RandomSubspacePurpose = 19;   // beside TopEigenProjection's 18 under the same acquisition seed

    public RandomSubspaceProjection(int dimension, long seed)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The subspace needs at least one dimension.");
        _dimension = dimension;
        _seed = seed;
    }

    // "per run" also keeps checkpoints of the earlier draws, shared by all runs, from being resumed (the name is in their key).
    public override string Name => $"random subspace (r={_dimension}, per run)";

    protected override FisherEmbedding Fix(IFisherModel model, AcquisitionContext context)
    {
        // From the round's acquisition seed (run seed, round): each repeat of an experiment draws its own subspaces.
        // (From (projection seed, round) alone, before, all repeats shared them and the spread over seeds was understated.)
        using var gen = new Generator((ulong)SeedSequence.Derive(context.Seed, RandomSubspacePurpose, _seed));
        var scale = 1 / Math.Sqrt(_dimension);
        var dirs = new List<ParamVector>();
        for (int j = 0; j < _dimension; j++)
        {
            using var v = ParamVector.RandnLike(model.Network, gen);
            dirs.Add(v.Scale(scale));
        }
        return new FisherEmbedding(model, dirs, Name);
    }
}
