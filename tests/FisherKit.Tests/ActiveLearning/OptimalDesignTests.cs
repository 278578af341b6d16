using FisherKit.ActiveLearning.Acquisitions;

namespace FisherKit.Tests.ActiveLearning;

public sealed class OptimalDesignTests
{
    private static Tensor Embeddings(int n, int k, int r, long seed)
    {
        using var g = new Generator((ulong)seed);
        return randn([n, k, r], float64, generator: g);
    }

    private static double BruteLogDet(Tensor a)
    {
        var (_, logabs) = linalg.slogdet(a);
        using (logabs) return logabs.ToDouble();
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
    [InlineData(DesignCriterion.DOptimal, 2)]
    [InlineData(DesignCriterion.AOptimal, 2)]
    [InlineData(DesignCriterion.EOptimal, 2)]
    [InlineData(DesignCriterion.EOptimal, 1)]
    public void Greedy_batches_with_rank_k_updates_equal_brute_force_greedy_and_log_det(DesignCriterion criterion, int k)
    {
        using var scope = NewDisposeScope();
        var cands = Embeddings(15, k, 5, 3);
        // Enough labelled rows (3K ≥ 4) that λ_min(A) is not repeated more than K times (see the indifference test).
        var a0 = OptimalDesign.Information(Embeddings(k == 1 ? 4 : 3, k, 5, 4), 0.3);
        var design = OptimalDesign.Greedy(cands, a0, 6, criterion);
        // Brute force: at every step recompute the criterion for each remaining candidate with dense matrices.
        var a = a0.clone();
        var chosen = new List<int>();
        double Crit(Tensor m) => criterion switch
        {
            DesignCriterion.DOptimal => BruteLogDet(m),
            DesignCriterion.AOptimal => -linalg.inv(m).trace().ToDouble(),
            _ => linalg.eigvalsh(m)[0].ToDouble(),
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
    public void E_optimal_gain_of_one_row_embeddings_equals_the_brute_force_Ritz_value()
    {
        // With a Ritz subspace smaller than r, the gain is λ_min(Vᵀ(A + eeᵀ)V) − λ_min(A), V the eigenvectors of
        // A with the smallest eigenvalues; for K = 1 it is computed from the secular equation.
        using var scope = NewDisposeScope();
        var cands = Embeddings(20, 1, 7, 8);
        var a = OptimalDesign.Information(Embeddings(6, 1, 7, 9), 0.2);   // rank 6 < r: λ is a simple eigenvalue
        const int m = 3;
        var design = OptimalDesign.Greedy(cands, a, 1, DesignCriterion.EOptimal, eigenSubspace: m);
        var (w, v) = linalg.eigh(a);
        var vm = v.narrow(1, 0, m);
        double Ritz(long u) { using var p = Plus(a, cands, u); using var t = vm.t().mm(p).mm(vm); using var ev = linalg.eigvalsh(t); return ev[0].ToDouble(); }
        var gains = Enumerable.Range(0, 20).Select(u => Ritz(u) - w[0].ToDouble()).ToArray();
        var best = Array.IndexOf(gains, gains.Max());
        Assert.Equal(best, design.Selected[0]);
        Assert.Equal(gains[best], design.Gains[0], 10);
    }

    [Theory]
    [InlineData(1e3)]
    [InlineData(1e10)]
    [InlineData(1e13)]
    public void E_optimal_tells_distinct_small_eigenvalues_apart_when_the_largest_is_huge(double big)
    {
        // A = diag(1, 5, 1 + big): candidate 0 (0, 3, 0) leaves λ_min = 1, candidate 1 (√2, 0, 0) raises it to 3 (gain 2).
        // An absolute tolerance of 1e-9·λ_max took 1 and 5 for a repeated eigenvalue above λ_max ≈ 1e9 and gave every gain 0.
        using var scope = NewDisposeScope();
        var a = diag(tensor(new[] { 1.0, 5.0, 1.0 + big }));
        var cands = tensor(new[] { 0.0, 3.0, 0.0, Math.Sqrt(2), 0.0, 0.0 }).reshape(2, 1, 3);
        var design = OptimalDesign.Greedy(cands, a, 1, DesignCriterion.EOptimal);
        Assert.Equal(new[] { 1 }, design.Selected);
        Assert.Equal(2.0, design.Gains[0], 6);
    }

    [Fact]
    public void E_optimal_is_indifferent_while_the_smallest_eigenvalue_is_repeated_more_than_k_times()
    {
        // r = 8, K = 2, one labelled point: λ is an eigenvalue of A six times. The first two picks cannot raise
        // λ_min (brute force: every candidate leaves it unchanged), so the gains are 0 and candidates 0 and 1
        // are taken in order; from the third pick on the design follows the brute-force greedy choice.
        using var scope = NewDisposeScope();
        var cands = Embeddings(10, 2, 8, 5);
        var a = OptimalDesign.Information(Embeddings(1, 2, 8, 6), 0.4);
        var design = OptimalDesign.Greedy(cands, a, 4, DesignCriterion.EOptimal);
        double LambdaMin(Tensor m) { using var ev = linalg.eigvalsh(m); return ev[0].ToDouble(); }
        Assert.All(Enumerable.Range(0, 10), u => Assert.Equal(LambdaMin(a), LambdaMin(Plus(a, cands, u)), 10));
        Assert.Equal(new[] { 0, 1 }, design.Selected.Take(2));
        Assert.Equal(new[] { 0.0, 0.0 }, design.Gains.Take(2));
        var a2 = Plus(Plus(a, cands, 0), cands, 1);
        var chosen = new List<int> { 0, 1 };
        for (int step = 2; step < 4; step++)
        {
            var best = Enumerable.Range(0, 10).Where(u => !chosen.Contains(u)).OrderByDescending(u => LambdaMin(Plus(a2, cands, u))).First();
            Assert.Equal(best, design.Selected[step]);
            Assert.Equal(LambdaMin(Plus(a2, cands, best)) - LambdaMin(a2), design.Gains[step], 8);
            Assert.True(design.Gains[step] > 1e-6);
            a2 = Plus(a2, cands, best);
            chosen.Add(best);
        }
    }

    [Fact]
    public void Smallest_eigenvalue_of_a_rank_one_update_handles_repeated_eigenvalues_and_zero_components()
    {
        using var scope = NewDisposeScope();
        var w = tensor(new[] { 1.0, 1.0, 2.5, 4.0 });                    // repeated smallest eigenvalue
        var z = tensor(new[] { 0.7, -0.3, 1.1, 0.2, 0.0, 0.0, 0.9, 1.5, 0.0, 2.0, 0.0, 0.0 }, [3, 4]);
        var w2 = tensor(new[] { 0.5, 1.5, 2.5, 4.0 });
        var got1 = OptimalDesign.SmallestEigenvalueOfRankOneUpdate(w, z).ToArray<double>();
        var got2 = OptimalDesign.SmallestEigenvalueOfRankOneUpdate(w2, z).ToArray<double>();
        for (int i = 0; i < 3; i++)
        {
            var zi = z[i].unsqueeze(1);
            var dense1 = w.diag() + zi.mm(zi.t());
            var dense2 = w2.diag() + zi.mm(zi.t());
            Assert.Equal(linalg.eigvalsh(dense1)[0].ToDouble(), got1[i], 12);
            Assert.Equal(linalg.eigvalsh(dense2)[0].ToDouble(), got2[i], 12);
        }
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
            return linalg.inv(a).mm(fisher).trace().ToDouble();
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

    [Fact]
    public void Designs_refuse_non_finite_embeddings_a_negative_batch_and_a_dimension_that_does_not_match()
    {
        // NaN gave "not positive-definite" (D), "failed to converge" (E) or a silent pick (A, BAIT).
        using var scope = NewDisposeScope();
        var cands = Embeddings(5, 1, 3, 7);
        cands[1, 0, 2] = tensor(double.NaN);
        var a = OptimalDesign.Information(Embeddings(2, 1, 3, 8), 1.0);
        foreach (var c in new[] { DesignCriterion.DOptimal, DesignCriterion.AOptimal, DesignCriterion.EOptimal })
            Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => OptimalDesign.Greedy(cands, a, 2, c)).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Bait.Select(cands, Embeddings(2, 1, 3, 8), 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bait.Select(Embeddings(5, 1, 3, 7), Embeddings(2, 1, 3, 8), -3));
        var e = Assert.Throws<ArgumentException>(() => OptimalDesign.Information(Embeddings(2, 1, 3, 8), 1.0, dimension: 4));
        Assert.Contains("dimension r = 3", e.Message);
    }
}
