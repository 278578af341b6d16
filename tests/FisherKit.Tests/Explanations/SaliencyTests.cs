using FisherKit.Explanations;

namespace FisherKit.Tests.Explanations;

public class SaliencyTests
{
    [Fact]
    public void Integrated_gradients_are_exact_for_a_linear_model()
    {
        manual_seed(1);
        var model = nn.Linear(5, 3);
        model.to(float64);
        using var x = randn(4, 5, dtype: float64);
        long[] c = [0, 2, 1, 2];
        using var ig = Saliency.IntegratedGradients(model, x, c, steps: 1);
        using var w = model.weight!.detach();
        for (int n = 0; n < 4; n++)
            for (int i = 0; i < 5; i++)
                Assert.Equal(x[n, i].ToDouble() * w[c[n], i].ToDouble(), ig[n, i].ToDouble(), 12);
        using var g = Saliency.Gradient(model, x, c);
        Assert.Equal(w[c[3], 4].ToDouble(), g[3, 4].ToDouble(), 12);
    }

    [Fact]
    public void Integrated_gradients_are_complete_for_a_nonlinear_model()
    {
        manual_seed(2);
        var model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3));
        model.to(float64);
        using var x = randn(3, 6, dtype: float64);
        using var x0 = randn(3, 6, dtype: float64) * 0.1;
        long[] c = [1, 0, 2];
        using var ig = Saliency.IntegratedGradients(model, x, c, x0, steps: 200);
        var fx = Saliency.Logit(model, x, c);
        var f0 = Saliency.Logit(model, x0, c);
        for (int n = 0; n < 3; n++)
            Assert.Equal(fx[n] - f0[n], ig[n].sum().ToDouble(), 4);
        // Coarser quadrature: still close, and converging.
        using var coarse = Saliency.IntegratedGradients(model, x, c, x0, steps: 4);
        double errCoarse = Enumerable.Range(0, 3).Max(n => Math.Abs(coarse[n].sum().ToDouble() - (fx[n] - f0[n])));
        double errFine = Enumerable.Range(0, 3).Max(n => Math.Abs(ig[n].sum().ToDouble() - (fx[n] - f0[n])));
        Assert.True(errFine < errCoarse);
    }

    [Fact]
    public void Gradient_matches_finite_differences_and_bad_input_is_refused()
    {
        manual_seed(3);
        var model = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 2));
        model.to(float64);
        using var x = randn(1, 4, dtype: float64);
        using var g = Saliency.Gradient(model, x, [1]);
        for (int i = 0; i < 4; i++)
        {
            using var e = zeros(1, 4, dtype: float64);
            e[0, i] = 1e-6;
            double d = (Saliency.Logit(model, x + e, [1])[0] - Saliency.Logit(model, x - e, [1])[0]) / 2e-6;
            Assert.Equal(d, g[0, i].ToDouble(), 7);
        }
        Assert.Throws<ArgumentException>(() => Saliency.Gradient(model, x, [0, 1]));
        Assert.Throws<ArgumentException>(() => Saliency.Gradient(model, x, [5]));
        Assert.Throws<ArgumentException>(() => Saliency.IntegratedGradients(model, x, [0], zeros(2, 4, dtype: float64)));
        // These gave libtorch's errors ("index 5 is out of bounds", "Only Tensors of floating point ... can require
        // gradients") or NaN attributions without a word.
        Assert.Contains("outside [0, 1]", Assert.Throws<ArgumentException>(() => Saliency.Logit(model, x, [5])).Message);
        using var ints = zeros(new long[] { 1, 4 }, ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => Saliency.Gradient(model, ints, [0]));
        using var nan = full(1, 4, double.NaN, dtype: float64);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Saliency.IntegratedGradients(model, nan, [0])).Message);
        var gone = randn(1, 4, dtype: float64);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Saliency.Gradient(model, gone, [0]));
    }
}
