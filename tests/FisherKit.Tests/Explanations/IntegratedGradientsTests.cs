using FisherKit.Explanations;

namespace FisherKit.Tests.Explanations;

public class IntegratedGradientsTests
{
    [Fact]
    public void Attributions_sum_to_the_output_minus_the_baseline_output_on_a_small_CNN()
    {
        manual_seed(3);
        var net = nn.Sequential(nn.Conv2d(1, 4, 3, padding: 1), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(4 * 4 * 4, 3), nn.Tanh());
        net.to(float64);
        var x = randn(2, 1, 8, 8, dtype: float64);
        var baseline = zeros_like(x) + 0.3;
        var v = tensor(new[] { 0.5, -1.0, 2.0 }, dtype: float64);
        Tensor F(Tensor input) => (net.call(input) * v).sum(dim: 1);
        var result = IntegratedGradients.Attribute(F, x, baseline, steps: 128);
        Assert.Equal(x.shape, result.Attributions.shape);
        for (int i = 0; i < 2; i++)
        {
            double change = result.Output[i] - result.BaselineOutput[i];
            Assert.True(Math.Abs(change) > 1e-3, "the test needs a visible change of F");
            Assert.True(Math.Abs(result.CompletenessGap[i]) < 1e-3 * Math.Abs(change) + 1e-8, $"sample {i}: gap {result.CompletenessGap[i]} for F(x) − F(x′) = {change}");
        }
        // Independent: the sum of attributions against F(x) − F(x′) computed here.
        double sum = result.Attributions[0].sum().item<double>();
        double direct = F(x[0..1]).item<double>() - F(baseline[0..1]).item<double>();
        Assert.Equal(direct, sum, 3);
    }

    [Fact]
    public void A_linear_function_gets_its_exact_attributions_and_bad_input_is_named()
    {
        var w = tensor(new[] { 1.0, -2.0, 3.0 }, dtype: float64);
        var x = tensor(new[,] { { 1.0, 1.0, 1.0 } }, dtype: float64);
        var result = IntegratedGradients.Attribute(t => (t * w).sum(dim: 1), x, zeros_like(x), steps: 3);
        Assert.Equal(new[] { 1.0, -2.0, 3.0 }, result.Attributions[0].data<double>().ToArray());
        Assert.Throws<ArgumentException>(() => IntegratedGradients.Attribute(t => (t * w).sum(dim: 1), x, zeros(1, 4, dtype: float64)));
        Assert.Throws<ArgumentException>(() => IntegratedGradients.Attribute(t => t * w, x, zeros_like(x)));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegratedGradients.Attribute(t => (t * w).sum(dim: 1), x, zeros_like(x), steps: 0));
    }
}
