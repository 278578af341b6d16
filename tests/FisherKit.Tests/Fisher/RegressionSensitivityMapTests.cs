using FisherKit.Fisher;

namespace FisherKit.Tests.Fisher;

/// <summary>
/// RegressionSensitivityMap against a closed form (a linear model) and against a brute-force float64 map
/// built from central differences in the parameters and in every input value, independent of autograd's
/// higher derivatives.
/// </summary>
public class RegressionSensitivityMapTests
{
    [Fact]
    public void Linear_model_gives_the_closed_form()
    {
        // f = Wx + b, v = ∇θ(uᵀf)/n with ∇_W = u xᵀ, ∇_b = u, n² = ‖u‖²(‖x‖² + 1); ∂_{x_i}∂_v f_k = v_W[k, i],
        // so FIS_i = ‖u‖² x_i² / (n² σ²) = x_i² / ((‖x‖² + 1) σ²).
        manual_seed(41);
        using var model = nn.Linear(4, 3);
        model.to(float64);
        using var x = TinyNets.Inputs(41, 2, 4);
        const double sigma = 0.5;
        using var map = new RegressionSensitivityMap(model, sigma) { OutputDirection = [0.3, -1.2, 0.7] }.Compute(x);
        using var expected = x.square() / ((x.square().sum(1, keepdim: true) + 1) * (sigma * sigma));
        Assert.True(map.allclose(expected, rtol: 1e-10, atol: 1e-14), $"map {map.str()} expected {expected.str()}");
    }

    [Fact]
    public void Exact_map_matches_brute_force_central_differences_in_parameters_and_inputs()
    {
        using var model = TinyNets.Cnn(42, classes: 3);
        using var x = TinyNets.Inputs(42, 2, 1, 6, 6);
        double[] u = [1.0, -0.5, 2.0];
        const double sigma = 0.7;
        using var map = new RegressionSensitivityMap(model, sigma) { OutputDirection = u }.Compute(x);
        Assert.Equal(x.shape, map.shape);
        using var brute = BruteForce(model, x, u, sigma);
        using var error = (map - brute).norm();
        using var size = brute.norm();
        Assert.True(size.ToDouble() > 0, "the brute-force map is identically zero");
        Assert.True(error.ToDouble() < 1e-5 * size.ToDouble(), $"relative error {error.ToDouble() / size.ToDouble():E2}");
    }

    [Fact]
    public void Central_difference_form_converges_to_the_exact_map_at_second_order()
    {
        using var model = TinyNets.Cnn(43, classes: 2);
        using var x = TinyNets.Inputs(43, 1, 1, 6, 6);
        var fis = new RegressionSensitivityMap(model);
        using var exact = fis.Compute(x);
        using var fd1 = fis.FiniteDifference(x, 4e-2);
        using var fd2 = fis.FiniteDifference(x, 2e-2);
        using var e1 = (fd1 - exact).norm();
        using var e2 = (fd2 - exact).norm();
        Assert.True(e1.ToDouble() > 0 && e2.ToDouble() > 0);
        Assert.InRange(e1.ToDouble() / e2.ToDouble(), 3.0, 5.0);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_clear_errors()
    {
        using var model = TinyNets.Cnn(44, classes: 3);
        using var x = TinyNets.Inputs(44, 1, 1, 6, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegressionSensitivityMap(model, sigma: 0));
        var e = Assert.Throws<ArgumentException>(() => new RegressionSensitivityMap(model) { OutputDirection = [1.0, 2.0] }.Compute(x));
        Assert.Contains("3 outputs", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegressionSensitivityMap(model).FiniteDifference(x, 0));
        var disposed = TinyNets.Inputs(44, 1, 1, 6, 6);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => new RegressionSensitivityMap(model).Compute(disposed));
        using var flat = nn.Sequential(nn.Flatten(0, -1));
        var shape = Assert.Throws<ArgumentException>(() => new RegressionSensitivityMap(flat).Compute(x));
        Assert.Contains("no trainable parameters", shape.Message);
    }

    /// <summary>
    /// Σ_k (∂_{x_i}∂_v f_k)²/σ² with v from one backward pass of uᵀf, ∂_v by ±εv on copies of the parameters and
    /// ∂_{x_i} by ±h on every input value: float64 central differences only.
    /// </summary>
    private static Tensor BruteForce(nn.Module<Tensor, Tensor> model, Tensor inputs, double[] u, double sigma)
    {
        const double eps = 1e-4, h = 1e-4;
        var parameters = model.parameters().ToList();
        var original = parameters.Select(p => p.detach().clone()).ToList();
        var maps = new List<Tensor>();
        for (long n = 0; n < inputs.shape[0]; n++)
        {
            var x = inputs.narrow(0, n, 1).clone();
            model.zero_grad();
            model.call(x).mv(tensor(u, float64)).sum().backward();
            var g = parameters.Select(p => p.grad!.clone()).ToList();
            double norm = Math.Sqrt(g.Sum(t => t.square().sum().ToDouble()));
            var v = g.Select(t => t / norm).ToList();
            Tensor Jv(Tensor at)
            {
                using var _ = no_grad();
                Tensor Shifted(double sign)
                {
                    for (int k = 0; k < parameters.Count; k++) parameters[k].copy_(original[k] + v[k] * (sign * eps));
                    var f = model.call(at);
                    for (int k = 0; k < parameters.Count; k++) parameters[k].copy_(original[k]);
                    return f;
                }
                return (Shifted(1) - Shifted(-1)) / (2 * eps);
            }
            var flat = x.flatten();
            var map = zeros_like(flat);
            for (long i = 0; i < flat.shape[0]; i++)
            {
                var plus = flat.clone(); plus[i] += h;
                var minus = flat.clone(); minus[i] -= h;
                var d = (Jv(plus.reshape(x.shape)) - Jv(minus.reshape(x.shape))) / (2 * h);
                map[i] = d.square().sum() / (sigma * sigma);
            }
            maps.Add(map.reshape(x.shape));
        }
        model.zero_grad();
        return cat(maps, 0);
    }
}
