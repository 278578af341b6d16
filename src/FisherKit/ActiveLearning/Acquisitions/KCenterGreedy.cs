using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// k-centre greedy (Sener &amp; Savarese 2018, the greedy 2-approximation of the core-set problem):
/// repeatedly take the candidate farthest from its nearest labelled or already chosen point. With an
/// empty labelled set the first point is a uniformly random candidate (from the context's seed), which is
/// what distinguishes it from GSx's deterministic start.
/// </summary>
public sealed class KCenterGreedy(FeatureSpace features = FeatureSpace.Inputs) : Acquisition
{
    /// <summary>Where distances are measured.</summary>
    public FeatureSpace Features { get; } = features;

    /// <inheritdoc />
    public override string Name => Features == FeatureSpace.Inputs ? "k-centre greedy" : "k-centre greedy (penultimate)";

    /// <inheritdoc />
    public override AcquisitionFamily Family => AcquisitionFamily.Diversity;

    /// <inheritdoc />
    protected override IReadOnlyList<long> Choose(AcquisitionContext context, int count)
    {
        int m = context.Candidates.Count;
        using var scope = NewDisposeScope();
        var fu = Features_(context, context.CandidateInputs());
        var score = Enumerable.Repeat(double.PositiveInfinity, m).ToArray();
        var taken = new bool[m];
        var picks = new List<int>();
        if (context.Labelled.Count > 0)
        {
            var fl = Features_(context, context.LabelledInputs());
            score = cdist(fu, fl).min(1).values.ToArray<double>();
        }
        else
        {
            using var gen = new Generator((ulong)context.Seed);
            using var r = randint(0, m, [1], generator: gen);
            int first = (int)r.item<long>();
            picks.Add(first);
            taken[first] = true;
            Update(score, fu, first);
        }
        while (picks.Count < count)
        {
            int j = TensorUtil.ArgMax(score, taken);
            picks.Add(j);
            taken[j] = true;
            Update(score, fu, j);
        }
        return picks.Select(i => context.Candidates[i]).ToList();
    }

    private Tensor Features_(AcquisitionContext context, Tensor inputs)
    {
        using var scope = NewDisposeScope();
        if (Features == FeatureSpace.Inputs) return scope.MoveToOuter(TensorUtil.Flat64(inputs));
        var model = RequireModel<IFisherModel>(context);
        return scope.MoveToOuter(FisherEmbeddings.LastLayerInputs(model, inputs).to(ScalarType.Float64));
    }

    private static void Update(double[] score, Tensor f, int j)
    {
        using var scope = NewDisposeScope();
        var d = cdist(f, f.narrow(0, j, 1)).squeeze(1).ToArray<double>();
        for (int i = 0; i < score.Length; i++) score[i] = Math.Min(score[i], d[i]);
    }
}
