namespace FisherKit.Torch.Tests.Support;

/// <summary>
/// Compares autograd gradients with float64 central finite differences. A non-scalar output is
/// reduced with fixed, non-uniform weights (so every output element matters), which tests the
/// vector-Jacobian product rather than only the gradient of a sum.
/// </summary>
internal static class GradCheck
{
    /// <summary>Deterministic, non-trivial weights (none zero) for reducing an output of the given shape.</summary>
    internal static Tensor Projection(long[] shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        var w = new double[n];
        for (long i = 0; i < n; i++) w[i] = 0.6 + Math.Cos(0.37 * i + 0.1);
        return tensor(w, shape);
    }

    /// <summary>
    /// Checks d(Σ w·f(x))/dx for every floating-point input against (f(x+h) − f(x−h))/2h. Inputs that
    /// are not floating point (indices, masks) are passed through unchanged.
    /// </summary>
    internal static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double atol = 1e-6, double rtol = 1e-5, double h = 1e-6)
    {
        using var scope = NewDisposeScope();
        var xs = inputs.Select(x => x.dtype.IsFloatingPoint() ? x.to(float64).detach().requires_grad_() : x).ToArray();
        var y = f(xs);
        Assert.True(y.dtype == float64, $"the function must compute in float64, got {y.dtype.Name()}");
        var w = Projection(y.shape);
        var loss = (y * w).sum();
        var differentiable = xs.Where(x => x.requires_grad).ToArray();
        Assert.NotEmpty(differentiable);
        var grads = autograd.grad([loss], differentiable, allow_unused: true);
        for (int k = 0, g = 0; k < xs.Length; k++)
        {
            if (!xs[k].requires_grad) continue;
            var analytic = grads[g++] is { } t ? t.ToArray<double>() : new double[xs[k].numel()];
            var numeric = Numeric(f, xs, k, w, h);
            AssertClose.Arrays(numeric, analytic, atol, rtol, $"gradient of input {k} (shape {Shape(xs[k])})");
        }
    }

    private static double[] Numeric(Func<Tensor[], Tensor> f, Tensor[] xs, int k, Tensor w, double h)
    {
        var shape = xs[k].shape;
        var data = xs[k].ToArray<double>();
        var result = new double[data.Length];
        using var _ = no_grad();
        for (int i = 0; i < data.Length; i++)
        {
            var x0 = data[i];
            data[i] = x0 + h;
            var fp = Evaluate(f, xs, k, data, shape, w);
            data[i] = x0 - h;
            var fm = Evaluate(f, xs, k, data, shape, w);
            data[i] = x0;
            result[i] = (fp - fm) / (2 * h);
        }
        return result;
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] xs, int k, double[] data, long[] shape, Tensor w)
    {
        using var scope = NewDisposeScope();
        var args = (Tensor[])xs.Clone();
        args[k] = tensor(data, shape);
        return (f(args) * w).sum().item();
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
