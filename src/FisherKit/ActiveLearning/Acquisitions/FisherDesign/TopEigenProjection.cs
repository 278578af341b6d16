using FisherKit.Fisher.Curvature;
using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>The top eigenvectors of the current Fisher (see <see cref="FisherProjection.TopEigenvectors"/>).</summary>
internal sealed class TopEigenProjection : FisherProjection
{
    private readonly int _count;
    private readonly int _maxInputs;

    public TopEigenProjection(int count, int maxInputs)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one eigenvector is needed.");
        if (maxInputs < 1) throw new ArgumentOutOfRangeException(nameof(maxInputs), maxInputs, "At least one input is needed.");
        _count = count;
        _maxInputs = maxInputs;
    }

    public override string Name => $"top-{_count} Fisher eigenvectors";

    protected override FisherEmbedding Fix(IFisherModel model, AcquisitionContext context)
    {
        using var scope = NewDisposeScope();
        // The Fisher of the current model on the labelled points plus a random part of the candidates.
        var take = Math.Min(_maxInputs, context.Candidates.Count);
        using var gen = new Generator((ulong)SeedSequence.Derive(context.Seed, 17));
        var perm = randperm(context.Candidates.Count, generator: gen).ToArray<long>();
        var chosen = perm.Take(take).Select(i => context.Candidates[(int)i]).ToList();
        var indices = context.Labelled.Indices.Concat(chosen).ToList();
        var x = model.PrepareInputs(context.Pool.InputsAt(indices));
        var batches = new List<(Tensor, Tensor?)>();
        for (long s = 0; s < x.shape[0]; s += FisherEmbeddings.BatchSize)
            batches.Add((x.narrow(0, s, Math.Min(FisherEmbeddings.BatchSize, x.shape[0] - s)), null));
        var op = new FisherOperator(model.Network, model.Likelihood, batches, FisherKind.True, Normalization.Sum);
        var k = (int)Math.Min(_count, op.Size);
        var (_, vectors) = op.TopEigen(k, seed: SeedSequence.Derive(context.Seed, 18));
        foreach (var v in vectors)
            foreach (var t in v.Tensors) t.DetachFromDisposeScope();
        return new FisherEmbedding(model, vectors, Name);
    }
}
