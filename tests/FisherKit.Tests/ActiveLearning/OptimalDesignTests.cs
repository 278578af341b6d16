using FisherKit.ActiveLearning.Fisher;

namespace FisherKit.Tests.ActiveLearning;

public sealed class OptimalDesignTests
{
    private static Tensor Embeddings(int n, int k, int r, long seed)
    {
        using var g = new Generator(seed);
        return randn([n, k, r], float64, generator: g);
    }

    private static double BruteLogDet(Tensor a)
    {
        var (_, logabs) = linalg.slogdet(a);
        using (logabs) return logabs.item();
    }

    /// <summary>A + E_uᵀE_u for candidate u, dense.</summary>
    private static Tensor Plus(Tensor a, Tensor e, long u) { using var eu = e[u]; return a + eu.t().mm(eu); }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void D_optimal_picks_the_point_that_most_increases_the_brute_force_log_det(int k)
    {
        using var scope = NewDisposeScope();
        var labelled = Embeddings(4, k, 6, 1);
        var cands = Embeddings(12, k, 6, 2);
        var a = OptimalDesign.Information(labelled, 0.5);
        var design = OptimalDesign.Greedy(cands, a, 1, DesignCriterion.DOptimal);
        var best = Enumerable.Range(0, 12).OrderByDescending(u => BruteLogDet(Plus(a, cands, u))).First();
        Assert.Equal(best, design.Selected[0]);
        Assert.Equal(BruteLogDet(Plus(a, cands, best)) - BruteLogDet(a), design.Gains[0], 9);
    }

    [Theory]
    [InlineData(DesignCriterion.DOptimal)]
    [InlineData(DesignCriterion.AOptimal)]
    [InlineData(DesignCriterion.EOptimal)]
    public void Greedy_batches_with_rank_k_updates_equal_brute_force_greedy_and_log_det(DesignCriterion criterion)
    {
        using var scope = NewDisposeScope();
        var cands = Embeddings(15, 2, 5, 3);
        var a0 = OptimalDesign.Information(Embeddings(3, 2, 5, 4), 0.3);
        var design = OptimalDesign.Greedy(cands, a0, 6, criterion);
        // Brute force: at every step recompute the criterion for each remaining candidate with dense matrices.
        var a = a0.clone();
        var chosen = new List<int>();
        double Crit(Tensor m) => criterion switch
        {
            DesignCriterion.DOptimal => BruteLogDet(m),
            DesignCriterion.AOptimal => -linalg.inv(m).trace().item(),
            _ => linalg.eigvalsh(m)[0].item(),
        };
        for (int step = 0; step < 6; step++)
        {
            var best = Enumerable.Range(0, 15).Where(u => !chosen.Contains(u)).OrderByDescending(u => Crit(Plus(a, cands, u))).First();
            Assert.Equal(best, design.Selected[step]);
            Assert.Equal(Crit(Plus(a, cands, best)) - Crit(a), design.Gains[step], 8);
            a = Plus(a, cands, best);
            chosen.Add(best);
        }
        // The log det accumulated by the determinant lemma equals the log det of the final matrix.
        Assert.Equal(BruteLogDet(a), design.FinalLogDet, 9);
        Assert.Equal(BruteLogDet(a0), design.InitialLogDet, 10);
    }

    [Fact]
    public void Bait_equals_forward_then_backward_greedy_with_dense_inverses()
    {
        using var scope = NewDisposeScope();
        int m = 14, k = 2, r = 5, nl = 3, batch = 3;
        var cands = Embeddings(m, k, r, 8);
        var lab = Embeddings(nl, k, r, 9);
        double lambda = 0.7, w = 1.0 / (nl + batch);
        var all = cat([lab.reshape(-1, r), cands.reshape(-1, r)], 0);
        var fisher = all.t().mm(all) / (nl + m);
        var a0 = eye(r, dtype: float64) * lambda + lab.reshape(-1, r).t().mm(lab.reshape(-1, r)) * w;
        double Objective(IEnumerable<int> set)
        {
            var a = a0.clone();
            foreach (var u in set) { var e = cands[u]; a = a + e.t().mm(e) * w; }
            return linalg.inv(a).mm(fisher).trace().item();
        }
        var chosen = new List<int>();
        for (int i = 0; i < 2 * batch; i++)
            chosen.Add(Enumerable.Range(0, m).Where(u => !chosen.Contains(u)).OrderBy(u => Objective(chosen.Append(u))).First());
        while (chosen.Count > batch)
        {
            var drop = chosen.OrderBy(u => Objective(chosen.Where(v => v != u))).First();
            chosen.Remove(drop);
        }
        Assert.Equal(chosen, Bait.Select(cands, lab, batch, lambda));
    }

    [Fact]
    public void Information_rejects_a_non_positive_prior()
    {
        using var e = Embeddings(2, 1, 3, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimalDesign.Information(e, 0));
    }
}
