using FisherKit.Fisher;

namespace FisherKit.Tests.Fisher;

public class SensitivityMapTests
{
    [Theory]
    [InlineData(true, FormVariant.Full)]
    [InlineData(true, FormVariant.PerTensor)]
    [InlineData(false, FormVariant.Full)]
    public void Exact_map_matches_the_central_difference_of_the_reference_code_to_second_order(bool reduced, FormVariant variant)
    {
        using var model = TinyNets.Cnn(31);
        using var x = TinyNets.Inputs(31, 2, 1, 6, 6);
        var fis = new SensitivityMap(model) { Reduced = reduced, Variant = variant };
        using var exact = fis.Compute(x);
        Assert.Equal(x.shape, exact.shape);
        using var fd1 = fis.FiniteDifference(x, 4e-3);
        using var fd2 = fis.FiniteDifference(x, 2e-3);
        using var e1t = (fd1 - exact).norm();
        using var e2t = (fd2 - exact).norm();
        using var nt = exact.norm();
        double e1 = e1t.ToDouble() / nt.ToDouble(), e2 = e2t.ToDouble() / nt.ToDouble();
        Assert.True(nt.ToDouble() > 0, "the map is identically zero");
        Assert.True(e1 < 1e-3, $"relative error {e1:E2} at ε = 4e-3");
        Assert.InRange(e1 / e2, 3.0, 5.0);
    }

    [Fact]
    public void Reduced_map_differs_from_the_all_class_map_and_per_tensor_from_full()
    {
        using var model = TinyNets.Mlp(32, inputs: 6, hidden: 5, classes: 4);
        using var x = TinyNets.Inputs(32, 3, 6);
        using var reduced = new SensitivityMap(model).Compute(x);
        using var all = new SensitivityMap(model) { Reduced = false }.Compute(x);
        using var perTensor = new SensitivityMap(model) { Variant = FormVariant.PerTensor }.Compute(x);
        Assert.False(reduced.allclose(all, rtol: 1e-6), "reduction to two classes changed nothing");
        Assert.False(reduced.allclose(perTensor, rtol: 1e-6), "per-tensor accumulation changed nothing");
    }

    [Fact]
    public void A_two_class_model_needs_no_reduction()
    {
        // With C = 2 the (predicted, rest) reduction is the model itself.
        using var model = TinyNets.Mlp(33, inputs: 4, hidden: 3, classes: 2);
        using var x = TinyNets.Inputs(33, 3, 4);
        using var reduced = new SensitivityMap(model).Compute(x);
        using var all = new SensitivityMap(model) { Reduced = false }.Compute(x);
        Assert.True(reduced.allclose(all, rtol: 1e-10, atol: 1e-14));
    }
}
