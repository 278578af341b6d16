using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Modules;

/// <summary>
/// Values of operations without gradients (indices, counts, comparisons) and numerically delicate
/// ones, against results worked out by hand; catches wrappers that pass arguments in the wrong order.
/// </summary>
public class OpValueTests
{
    private static long[] L(Tensor t) => t.ToArray<long>();
    private static double[] D(Tensor t) => t.ToDoubleArray();

    [Fact]
    public void Searching_counting_and_uniques()
    {
        using var scope = NewDisposeScope();
        var sorted = tensor(new long[] { 1, 3, 5, 7 });
        var values = tensor(new long[] { 0, 3, 6, 8 });
        Assert.Equal(new long[] { 0, 1, 3, 4 }, L(searchsorted(sorted, values)));
        Assert.Equal(new long[] { 0, 2, 3, 4 }, L(searchsorted(sorted, values, right: true)));
        Assert.Equal(new long[] { 1, 2, 0, 1 }, L(tensor(new long[] { 0, 1, 1, 3 }).bincount()));
        Assert.Equal(new double[] { 0.5, 3, 0, 0, 0 }, D(tensor(new long[] { 0, 1, 1 }).bincount(tensor(new[] { 0.5, 1, 2 }), minlength: 5)));
        var (u, counts) = tensor(new long[] { 3, 1, 3, 2 }).unique();
        Assert.Equal(new long[] { 1, 2, 3 }, L(u));
        Assert.Equal(new long[] { 1, 1, 2 }, L(counts));
        Assert.Equal(new long[] { 0, 0, 1, 0 }, L(tensor(new[] { 1.0, 0, 2, 0 }, [2, 2]).nonzero()));
        Assert.Equal(2, tensor(new[] { 1.0, 0, 2, 0 }).count_nonzero().item<long>());
        Assert.Equal(new long[] { 1, 1 }, L(tensor(new[] { 1.0, 0, 2, 0 }, [2, 2]).count_nonzero(1)));
    }

    [Fact]
    public void Sorting_and_selection()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 3.0, 1, 4, 1, 5, 9, 2, 6 });
        var (sv, si) = x.sort(stable: true);
        Assert.Equal(new double[] { 1, 1, 2, 3, 4, 5, 6, 9 }, D(sv));
        Assert.Equal(new long[] { 1, 3, 6, 0, 2, 4, 7, 5 }, L(si));
        Assert.Equal(new long[] { 5, 7, 4 }, L(x.topk(3).indices));
        Assert.Equal(new double[] { 1, 1 }, D(x.topk(2, largest: false).values));
        Assert.Equal(new long[] { 5, 7, 4, 2, 0, 6 }, L(x.argsort(descending: true))[..6]);   // the last two tie
        var m = x.reshape(2, 4);
        Assert.Equal(new long[] { 2, 1 }, L(m.argmax(1)));
        Assert.Equal(5, m.argmax().item<long>());
        Assert.Equal(new long[] { 1, 2 }, L(m.argmin(1)));
        var (mx, mi) = m.max(0);
        Assert.Equal(new double[] { 5, 9, 4, 6 }, D(mx));
        Assert.Equal(new long[] { 1, 1, 0, 1 }, L(mi));
        Assert.Equal(3, x.median().item());   // lower of the two middle values (3, 4)
        AssertClose.Arrays([1.0, 3.5, 9.0], D(x.quantile(tensor(new[] { 0.0, 0.5, 1.0 }))), 1e-15, 0);
    }

    [Fact]
    public void Comparisons_logic_and_selection()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0, 2, 3 });
        var b = tensor(new[] { 3.0, 2, 1 });
        Assert.Equal(new[] { true, false, false }, (a < b).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, a.eq(b).ToArray<bool>());
        Assert.Equal(new[] { true, false, true }, a.ne(2).ToArray<bool>());
        Assert.Equal(new[] { false, true, true }, (a >= 2).ToArray<bool>());
        Assert.Equal(new[] { true, false, true }, ((a < 2) | (a > 2)).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, (~((a < 2) ^ (a > 2))).ToArray<bool>());
        Assert.True((a < 2).any().item<bool>());
        Assert.False((a < 2).all().item<bool>());
        Assert.Equal(new[] { true, false }, tensor(new[] { true, true, true, false }, [2, 2]).all(1).ToArray<bool>());
        Assert.Equal(new double[] { 3, 2, 3 }, D(where(a > b, a, b)));
        Assert.Equal(new double[] { 2, 3 }, D(a.masked_select(a > 1)));
        Assert.True(a.allclose(a + 1e-9));
        Assert.False(a.allclose(a + 1e-3));
        Assert.Equal(new[] { false, true }, tensor(new[] { 1.0, double.NaN }).isnan().ToArray<bool>());
        Assert.Equal(new double[] { 0, 5, -5 }, D(tensor(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity }).nan_to_num(0, 5, -5)));
    }

    [Fact]
    public void Rearrangements()
    {
        using var scope = NewDisposeScope();
        var x = arange(0, 6, 1, float64).reshape(2, 3);
        Assert.Equal(new double[] { 2, 0, 1, 5, 3, 4 }, D(x.roll([1], [1])));
        Assert.Equal(new double[] { 5, 4, 3, 2, 1, 0 }, D(x.flip(0, 1)));
        Assert.Equal(new double[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 }, D(x.repeat_interleave(2, 1)));
        Assert.Equal(new double[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5 }, D(x.repeat(1, 2)));
        Assert.Equal(new double[] { 0, 1, 2, 3, 0, 5 }, D(x.triu(1) + x.tril(-1)));
        Assert.Equal(new double[] { 1, 5 }, D(x.diagonal(1)));
        Assert.Equal(new double[] { 0, 1, 0, 0, 0, 0, 0, 0, 0 }, D(tensor(new[] { 1.0 }).diag(1).pad([0, 1, 0, 1])));
        var (gi, gj) = (meshgrid([arange(2), arange(3)])[0], meshgrid([arange(2), arange(3)], "xy")[0]);
        Assert.Equal(new long[] { 2, 3 }, gi.shape);
        Assert.Equal(new long[] { 3, 2 }, gj.shape);
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 1 }, L(gi));
        Assert.Equal(new long[] { 0, 0, 1, 0, 0, 1, 0, 0, 1 }, L(F.one_hot(tensor(new long[] { 2, 2, 2 }), 3)));
        Assert.Equal(new double[] { 0, 3, 1, 4, 2, 5 }, D(x.t().contiguous()));
        Assert.Equal(new double[] { 1, 4 }, D(x[.., TensorIndex.Slice(1, null, 2)].squeeze(1)));
        Assert.Equal(new double[] { 3, 4 }, D(x[-1, ..^1]));
        Assert.Equal(new long[] { 3, 3, 2 }, stack([x.t(), x.t(), x.t()]).shape);
    }

    [Fact]
    public void Products_and_distances()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0, 2, 3, 4 }, [2, 2]);
        var b = tensor(new[] { 0.0, 1, 1, 0 }, [2, 2]);
        Assert.Equal(new double[] { 2, 1, 4, 3 }, D(a.matmul(b)));
        Assert.Equal(new double[] { 0, 1, 0, 2, 1, 0, 2, 0, 0, 3, 0, 4, 3, 0, 4, 0 }, D(kron(a, b)));
        Assert.Equal(5, a.trace().item());
        Assert.Equal(new double[] { 3, 4, 6, 8 }, D(tensor(new[] { 1.0, 2 }).outer(tensor(new[] { 3.0, 4 }))));
        Assert.Equal(new double[] { 0, 7, 7, 0 }, D(cdist(tensor(new[] { 0.0, 0, 3, 4 }, [2, 2]), tensor(new[] { 0.0, 0, 3, 4 }, [2, 2]), p: 1)));
        Assert.Equal(new double[] { 0, 5, 5, 0 }, D(cdist(tensor(new[] { 0.0, 0, 3, 4 }, [2, 2]), tensor(new[] { 0.0, 0, 3, 4 }, [2, 2]))));
        Assert.Equal(-2, linalg.det(a).item(), 12);
        Assert.Equal(new double[] { 3, 5, 7, 9 }, D(addmm(ones([2, 2], float64), a, eye(2, dtype: float64), beta: 1, alpha: 2)));
    }

    [Fact]
    public void Stable_formulas_hold_for_extreme_inputs()
    {
        using var scope = NewDisposeScope();
        var big = tensor(new[] { 1000.0, 1000.0 });
        Assert.Equal(1000 + Math.Log(2), big.logsumexp(0).item(), 12);
        AssertClose.Arrays([-Math.Log(2), -Math.Log(2)], D(F.log_softmax(big, 0)), 1e-15, 0);
        Assert.Equal(-1000, F.log_sigmoid(tensor(new[] { -1000.0 })).item(), 12);
        Assert.Equal(50, F.softplus(tensor(new[] { 50.0 })).item());   // above the threshold softplus is the identity
        AssertClose.Scalar(1e-10, tensor(new[] { 1e-10 }).log1p().item(), 0, 1e-9);   // log(1 + x) would lose most digits
        AssertClose.Scalar(1e-10, tensor(new[] { 1e-10 }).expm1().item(), 0, 1e-9);
        Assert.Equal(0, F.binary_cross_entropy_with_logits(tensor(new[] { 1000.0 }), tensor(new[] { 1.0 })).item(), 12);
    }
}
