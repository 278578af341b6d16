using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Greedy sampling for regression (Wu, Lin &amp; Huang 2019): GSx (input-space diversity), GSy
/// (output-space diversity) and iGS (their product), in Euclidean distance on the flattened inputs
/// (the protocol z-scores inputs first; see <see cref="FisherKit.ActiveLearning.Experiments.WuProtocol"/>).
/// <para>
/// With an empty labelled set every rule acts as GSx's initialisation: the first point is chosen by
/// <see cref="Start"/> and the rest by farthest-point selection, so GSy and iGS start from the GSx
/// initial set as in the paper. The paper adds one point per round; for batches, each chosen point
/// joins the reference set at once, with its prediction f(x) standing in for its unknown label (GSy, iGS).
/// Ties go to the earlier candidate (as MATLAB's max).
/// </para>
/// </summary>
public sealed class GreedySampling(GreedySamplingKind kind = GreedySamplingKind.GSx, GSxStart start = GSxStart.ClosestToCentroid) : Acquisition
{
    /// <summary>The rule.</summary>
    public GreedySamplingKind Kind { get; } = kind;

    /// <summary>How the first point is chosen when nothing is labelled.</summary>
    public GSxStart Start { get; } = start;

    /// <inheritdoc />
    public override string Name => Kind switch { GreedySamplingKind.GSx => "GSx", GreedySamplingKind.GSy => "GSy", _ => "iGS" };

    /// <inheritdoc />
    public override AcquisitionFamily Family => AcquisitionFamily.Diversity;

    /// <inheritdoc />
    protected override string? UnsupportedReason(TaskKind task) =>
        Kind != GreedySamplingKind.GSx && task != TaskKind.Regression
            ? "it measures distances between predicted and observed targets, which needs regression targets; use GSx or k-centre greedy for classification."
            : null;

    /// <inheritdoc />
    protected override IReadOnlyList<long> Choose(AcquisitionContext context, int count)
    {
        int m = context.Candidates.Count;
        using var scope = NewDisposeScope();
        var xu = TensorUtil.Flat64(context.CandidateInputs());
        var picks = new List<int>();
        var taken = new bool[m];
        bool useY = Kind != GreedySamplingKind.GSx && context.Labelled.Count > 0;

        double[] score;
        Tensor? fu = null;
        if (context.Labelled.Count == 0)
        {
            score = Enumerable.Repeat(double.PositiveInfinity, m).ToArray();
            int first = FirstPoint(xu);
            picks.Add(first);
            taken[first] = true;
            Update(score, Distances(xu, xu.narrow(0, first, 1)));
        }
        else
        {
            var xl = TensorUtil.Flat64(context.LabelledInputs());
            var dx = cdist(xu, xl);                                            // (M, n)
            if (!useY) score = dx.min(1).values.ToArray<double>();
            else
            {
                var model = RequireModel<IActiveModel>(context);
                fu = TensorUtil.AsMatrix(model.Predict(context.CandidateInputs())).to(ScalarType.Float64);   // (M, D)
                var yl = TensorUtil.AsMatrix(context.Labelled.Targets!).to(ScalarType.Float64);                 // (n, D)
                var dy = cdist(fu, yl);
                score = (Kind == GreedySamplingKind.GSy ? dy : dx * dy).min(1).values.ToArray<double>();
            }
        }
        while (picks.Count < count)
        {
            int j = TensorUtil.ArgMax(score, taken);
            picks.Add(j);
            taken[j] = true;
            if (picks.Count == count) break;
            // The chosen point joins the reference set (its prediction stands in for its label).
            var dxj = Distances(xu, xu.narrow(0, j, 1));
            if (!useY) Update(score, dxj);
            else
            {
                var dyj = Distances(fu!, fu!.narrow(0, j, 1));
                Update(score, Kind == GreedySamplingKind.GSy ? dyj : dxj.Zip(dyj, (a, b) => a * b).ToArray());
            }
        }
        return picks.Select(i => context.Candidates[i]).ToList();
    }

    private int FirstPoint(Tensor xu)
    {
        using var scope = NewDisposeScope();
        Tensor d = Start == GSxStart.ClosestToCentroid
            ? (xu - xu.mean([0], keepdim: true)).norm(1)
            : cdist(xu, xu).mean([1]);
        return TensorUtil.ArgMax(d.neg().ToArray<double>());
    }

    private static double[] Distances(Tensor all, Tensor one)
    {
        using var scope = NewDisposeScope();
        return cdist(all, one).squeeze(1).ToArray<double>();
    }

    private static void Update(double[] score, double[] d)
    {
        for (int i = 0; i < score.Length; i++) score[i] = Math.Min(score[i], d[i]);
    }
}
