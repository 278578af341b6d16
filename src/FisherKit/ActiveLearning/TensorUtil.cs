using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning;

/// <summary>Small tensor helpers shared by the active-learning code.</summary>
internal static class TensorUtil
{

    /// <summary>An int64 index tensor on the device of <paramref name="like"/>.</summary>
    public static Tensor Index(IReadOnlyList<long> indices, Tensor like)
    {
        using var scope = NewDisposeScope();
        var t = tensor(indices.ToArray()).to(like.device);
        return scope.MoveToOuter(t);
    }

    /// <summary>Rows of <paramref name="t"/> at the given indices (a new tensor).</summary>
    public static Tensor Rows(Tensor t, IReadOnlyList<long> indices)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(t.index_select(0, Index(indices, t)));
    }

    /// <summary>Inputs flattened to (N, features) in float64.</summary>
    public static Tensor Flat64(Tensor x)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(x.reshape(x.shape[0], -1).to(ScalarType.Float64));
    }

    /// <summary>Regression targets as (N, D).</summary>
    public static Tensor AsMatrix(Tensor y)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(y.ndim == 1 ? y.unsqueeze(1) : y.alias());
    }

    /// <summary>Indices of the <paramref name="k"/> largest scores, ties broken by the lower position (stable).</summary>
    public static int[] TopK(double[] scores, int k)
    {
        var order = Enumerable.Range(0, scores.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var sa = double.IsNaN(scores[a]) ? double.NegativeInfinity : scores[a];
            var sb = double.IsNaN(scores[b]) ? double.NegativeInfinity : scores[b];
            int c = sb.CompareTo(sa);
            return c != 0 ? c : a.CompareTo(b);
        });
        return order.Take(Math.Min(k, scores.Length)).ToArray();
    }

    /// <summary>The position of the largest value (first one on ties, NaN counts as −∞), skipping masked positions; −1 when none is left.</summary>
    public static int ArgMax(double[] values, bool[]? taken = null)
    {
        int best = -1;
        double bv = double.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
        {
            if (taken is not null && taken[i]) continue;
            var v = double.IsNaN(values[i]) ? double.NegativeInfinity : values[i];
            if (best < 0 || v > bv) { best = i; bv = v; }
        }
        return best;
    }
}
