using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Learners;

namespace FisherKit.Tests.ActiveLearning;

/// <summary>
/// A model whose predictions are given per pool point: input column 0 holds the point's id, and the
/// model returns the stored row (predictions (N, C|D) and posterior samples (S, N, C|D)).
/// </summary>
internal sealed class LookupModel(TaskKind task, double[][] predictions, double[][][]? samples = null) : IActiveModel, IPosteriorSampler
{
    public TaskKind Task { get; } = task;

    private long[] Ids(Tensor x)
    {
        using var c = x.reshape(x.shape[0], -1).select(1, 0).to(float64);
        return c.ToArray<double>().Select(v => (long)Math.Round(v)).ToArray();
    }

    public void Fit(Tensor inputs, Tensor targets, long seed) { }

    public Tensor Predict(Tensor inputs)
    {
        var ids = Ids(inputs);
        var rows = ids.Select(i => predictions[i]).ToArray();
        return tensor(rows.SelectMany(r => r).ToArray(), [ids.Length, rows[0].Length]);
    }

    public Tensor SamplePredictions(Tensor inputs, int count, long seed)
    {
        var ids = Ids(inputs);
        var s = samples!;
        int c = s[0][0].Length;
        var data = new double[s.Length * ids.Length * c];
        int k = 0;
        for (int t = 0; t < s.Length; t++)
            foreach (var i in ids)
                foreach (var v in s[t][i]) data[k++] = v;
        return tensor(data, [s.Length, ids.Length, c]);
    }

    public Dictionary<string, Tensor> StateDict() => [];

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) { }

    public void Dispose() { }
}

internal static class Pools
{
    /// <summary>A regression pool whose column 0 is the point's id and the other columns the given features.</summary>
    public static PoolData WithIds(double[][] features, double[]? targets = null, TaskKind task = TaskKind.Regression, int classes = 0)
    {
        int n = features.Length, d = features[0].Length + 1;
        var data = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            data[i * d] = i;
            for (int j = 1; j < d; j++) data[i * d + j] = features[i][j - 1];
        }
        var x = tensor(data, [n, d]);
        if (task == TaskKind.Classification)
            return PoolData.Classification(x, tensor((targets ?? new double[n]).Select(v => (long)v).ToArray()), classes);
        return PoolData.Regression(x, tensor(targets ?? new double[n]));
    }
}
