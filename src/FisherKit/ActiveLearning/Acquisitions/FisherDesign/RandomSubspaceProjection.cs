using FisherKit.Fisher;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>A random Gaussian subspace of all parameters (see <see cref="FisherProjection.RandomSubspace"/>).</summary>
internal sealed class RandomSubspaceProjection : FisherProjection
{
    private readonly int _dimension;
    private readonly long _seed;

    public RandomSubspaceProjection(int dimension, long seed)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The subspace needs at least one dimension.");
        _dimension = dimension;
        _seed = seed;
    }

    public override string Name => $"random subspace (r={_dimension})";

    protected override FisherEmbedding Fix(IFisherModel model, AcquisitionContext context)
    {
        using var gen = new Generator((ulong)SeedSequence.Derive(_seed, context.Round));
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
