using FisherKit.Fisher;
using FisherKit.Models;

namespace FisherKit.Tests.ConditionMonitoring;

public class AutoencoderTests
{
    [Fact]
    public void Reconstruction_fisher_matches_a_brute_force_jacobian_in_float64()
    {
        manual_seed(3);
        var model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 3));
        model.to(float64);
        using var x = tensor(new double[,] { { 0.3, -1.2, 0.8 }, { 1.5, 0.1, -0.4 } });
        double sigma = 0.7;
        var r = ReconstructionFisher.Compute(model, x, sigma);
        var ps = model.parameters().ToList();
        int p = ps.Sum(t => (int)t.numel());
        for (int i = 0; i < 2; i++)
        {
            using var xi = x.narrow(0, i, 1);
            double[] F(Tensor input) { using var _ = no_grad(); using var o = model.call(input); return o.data<double>().ToArray(); }
            var f0 = F(xi);
            var xv = xi.data<double>().ToArray();
            var res = xv.Zip(f0, (a, b) => a - b).ToArray();
            // J by central differences, parameter by parameter.
            var jac = new double[3, p];
            int col = 0;
            foreach (var t in ps)
            {
                using var flat = t.detach().view(-1);
                for (int j = 0; j < t.numel(); j++, col++)
                {
                    double old = flat[j].ToDouble(), eps = 1e-6;
                    using (no_grad()) flat[j] = old + eps;
                    var plus = F(xi);
                    using (no_grad()) flat[j] = old - eps;
                    var minus = F(xi);
                    using (no_grad()) flat[j] = old;
                    for (int k = 0; k < 3; k++) jac[k, col] = (plus[k] - minus[k]) / (2 * eps);
                }
            }
            var g = new double[p];
            for (int c = 0; c < p; c++) for (int k = 0; k < 3; k++) g[c] += jac[k, c] * res[k] / (sigma * sigma);
            double g2 = g.Sum(v => v * v);
            var jv = new double[3];
            for (int k = 0; k < 3; k++) for (int c = 0; c < p; c++) jv[k] += jac[k, c] * g[c] / Math.Sqrt(g2);
            Assert.Equal(g2, r.ScoreNormSquared[i], 6);
            Assert.Equal(jv.Sum(v => v * v) / (sigma * sigma), r.FormNormalized[i], 6);
            Assert.Equal(res.Sum(v => v * v), r.ReconstructionError[i], 10);
        }
    }

    [Fact]
    public void All_three_autoencoders_return_their_input_shape_and_have_a_fisher_score()
    {
        manual_seed(0);
        using var x = randn(5, 4 * 8);
        foreach (var model in new nn.Module<Tensor, Tensor>[] { Autoencoders.Dense(4, 8), Autoencoders.Convolutional(4, 8), Autoencoders.Recurrent(4, 8) })
        {
            using (var y = model.call(x)) Assert.Equal(x.shape, y.shape);
            int threads = get_num_threads();
            var r = ReconstructionFisher.Compute(model, x);
            Assert.Equal(threads, get_num_threads());   // the one-thread loop gives the count back
            Assert.All(r.FormNormalized, v => Assert.True(double.IsFinite(v) && v > 0));
            Assert.All(r.ScoreNormSquared, v => Assert.True(v > 0));
        }
        Assert.Throws<ArgumentException>(() => Autoencoders.Convolutional(4, 7));
        Assert.Throws<ArgumentException>(() => Autoencoders.Recurrent(4, 8).call(zeros(2, 31)));
    }
}
