using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Acquisitions;

namespace FisherKit.Tests.ActiveLearning;

public sealed class GreedySamplingTests
{
    private static double Dist(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    private static double[][] RandomPoints(int n, int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextDouble() * 4 - 2).ToArray()).ToArray();
    }

    /// <summary>Adds the id column of <see cref="Pools.WithIds"/> to a feature row, so distances match the pool's inputs.</summary>
    private static double[] Row(double[][] f, int i) => [i, .. f[i]];

    private static void Label(LabelledSet l, PoolData pool, params long[] idx)
    {
        using var y = pool.Targets!.index_select(0, tensor(idx));
        l.Add(idx, y, 0);
    }

    [Fact]
    public void GSx_picks_the_point_farthest_from_the_labelled_set()
    {
        var f = RandomPoints(30, 3, 1);
        var pool = Pools.WithIds(f, Enumerable.Range(0, 30).Select(i => (double)i).ToArray());
        using var labelled = new LabelledSet(30);
        Label(labelled, pool, 3, 17, 22);
        var candidates = labelled.Unlabelled();
        var ctx = new AcquisitionContext(pool, labelled, candidates, null, 0);
        var pick = new GreedySampling(GreedySamplingKind.GSx).Select(ctx, 1)[0];
        var expected = candidates.OrderByDescending(u => labelled.Indices.Min(l => Dist(Row(f, (int)u), Row(f, (int)l)))).First();
        Assert.Equal(expected, pick);
        // A batch continues farthest-first with the chosen point added to the reference set.
        var batch = new GreedySampling(GreedySamplingKind.GSx).Select(ctx, 4);
        var refs = labelled.Indices.ToList();
        foreach (var b in batch)
        {
            var best = candidates.Where(u => !refs.Contains(u)).OrderByDescending(u => refs.Min(l => Dist(Row(f, (int)u), Row(f, (int)l)))).First();
            Assert.Equal(best, b);
            refs.Add(b);
        }
    }

    [Fact]
    public void GSx_starts_from_the_point_closest_to_the_centroid_or_with_the_smallest_mean_distance()
    {
        var f = RandomPoints(25, 2, 4);
        var pool = Pools.WithIds(f);
        using var labelled = new LabelledSet(25);
        var all = labelled.Unlabelled();
        var rows = all.Select(i => Row(f, (int)i)).ToArray();
        var centroid = Enumerable.Range(0, 3).Select(j => rows.Average(r => r[j])).ToArray();
        var ctx = new AcquisitionContext(pool, labelled, all, null, 0);
        var byCentroid = new GreedySampling(GreedySamplingKind.GSx, GSxStart.ClosestToCentroid).Select(ctx, 3);
        Assert.Equal(all.OrderBy(i => Dist(rows[i], centroid)).First(), byCentroid[0]);
        var byMean = new GreedySampling(GreedySamplingKind.GSx, GSxStart.SmallestMeanDistance).Select(ctx, 3);
        Assert.Equal(all.OrderBy(i => rows.Average(r => Dist(rows[i], r))).First(), byMean[0]);
        // Then farthest-point selection from the start.
        var second = all.Where(i => i != byCentroid[0]).OrderByDescending(i => Dist(rows[i], rows[byCentroid[0]])).First();
        Assert.Equal(second, byCentroid[1]);
    }

    [Fact]
    public void GSy_and_iGS_pick_the_brute_force_maxmin_of_output_and_product_distances()
    {
        var f = RandomPoints(20, 2, 7);
        var rng = new Random(9);
        var y = Enumerable.Range(0, 20).Select(_ => rng.NextDouble() * 10).ToArray();
        var pred = Enumerable.Range(0, 20).Select(_ => new[] { rng.NextDouble() * 10 }).ToArray();
        var model = new LookupModel(TaskKind.Regression, pred);
        var pool = Pools.WithIds(f, y);
        using var labelled = new LabelledSet(20);
        Label(labelled, pool, 0, 5, 11, 12);
        var cands = labelled.Unlabelled();
        var ctx = new AcquisitionContext(pool, labelled, cands, model, 0);
        var gsy = new GreedySampling(GreedySamplingKind.GSy).Select(ctx, 1)[0];
        var igs = new GreedySampling(GreedySamplingKind.IGS).Select(ctx, 1)[0];
        Assert.Equal(cands.OrderByDescending(u => labelled.Indices.Min(l => Math.Abs(pred[u][0] - y[l]))).First(), gsy);
        Assert.Equal(cands.OrderByDescending(u => labelled.Indices.Min(l => Math.Abs(pred[u][0] - y[l]) * Dist(Row(f, (int)u), Row(f, (int)l)))).First(), igs);
    }

    [Fact]
    public void K_centre_greedy_is_farthest_first_from_a_random_start()
    {
        var f = RandomPoints(40, 2, 12);
        var pool = Pools.WithIds(f);
        using var labelled = new LabelledSet(40);
        var all = labelled.Unlabelled();
        var ctx = new AcquisitionContext(pool, labelled, all, null, seed: 5);
        var picks = new KCenterGreedy().Select(ctx, 6);
        Assert.Equal(picks, new KCenterGreedy().Select(ctx, 6));   // same seed, same start
        var refs = new List<long> { picks[0] };
        foreach (var p in picks.Skip(1))
        {
            var best = all.Where(u => !refs.Contains(u)).OrderByDescending(u => refs.Min(l => Dist(Row(f, (int)u), Row(f, (int)l)))).First();
            Assert.Equal(best, p);
            refs.Add(p);
        }
        var other = new AcquisitionContext(pool, labelled, all, null, seed: 6);
        var starts = Enumerable.Range(0, 8).Select(s => new KCenterGreedy().Select(new AcquisitionContext(pool, labelled, all, null, seed: s), 1)[0]).Distinct().Count();
        Assert.True(starts > 1, "the start point should depend on the seed");
        _ = other;
    }

    [Fact]
    public void Balanced_random_takes_the_same_number_from_every_class()
    {
        var labels = Enumerable.Range(0, 60).Select(i => (double)(i % 7 % 3)).ToArray();
        var pool = Pools.WithIds(labels.Select(_ => new[] { 0.0 }).ToArray(), labels, FisherKit.ActiveLearning.TaskKind.Classification, 3);
        using var labelled = new LabelledSet(60);
        var ctx = new AcquisitionContext(pool, labelled, labelled.Unlabelled(), null, seed: 2);
        var picks = new BalancedRandom().Select(ctx, 7);
        Assert.Equal(7, picks.Distinct().Count());
        Assert.Equal(new[] { 3, 2, 2 }, picks.GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Count()));
    }
}
