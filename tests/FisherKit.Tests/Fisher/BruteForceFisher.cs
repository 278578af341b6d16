namespace FisherKit.Tests.Fisher;

/// <summary>
/// The per-input Fisher built by brute force: for one input, the gradient of every class's
/// log-probability with respect to every parameter (one backward pass each), then
/// F = Σ_c p_c g_c g_cᵀ as a dense float64 matrix. Independent of the batched Gram code.
/// </summary>
internal sealed class BruteForceFisher
{
    public double[] P = [];
    public double[][] ClassGradients = [];   // C × P
    public (string name, int offset, int length)[] Blocks = [];
    public int Predicted;

    public static BruteForceFisher At(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        var ps = model.named_parameters().ToList();
        var z = model.call(x);
        var logp = nn.functional.log_softmax(z, 1);
        int c = (int)z.shape[1];
        var r = new BruteForceFisher { P = logp.exp().ToDoubleArray() };
        r.Predicted = Array.IndexOf(r.P, r.P.Max());
        r.ClassGradients = new double[c][];
        for (int k = 0; k < c; k++)
        {
            var gs = SafeAutograd.grad([logp[0, k]], ps.Select(p => (Tensor)p.parameter).ToList(), retain_graph: true, allow_unused: true);
            r.ClassGradients[k] = gs.SelectMany((g, i) => g?.ToDoubleArray() ?? new double[ps[i].parameter.numel()]).ToArray();
        }
        int offset = 0;
        r.Blocks = ps.Select(p => { var b = (p.name, offset, (int)p.parameter.numel()); offset += (int)p.parameter.numel(); return b; }).ToArray();
        return r;
    }

    public int Size => ClassGradients[0].Length;

    public double[,] Matrix()
    {
        int n = Size;
        var f = new double[n, n];
        for (int k = 0; k < P.Length; k++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    f[i, j] += P[k] * ClassGradients[k][i] * ClassGradients[k][j];
        return f;
    }

    public double[] G => ClassGradients[Predicted];

    public static double Quadratic(double[,] f, double[] v, int from = 0, int length = -1)
    {
        if (length < 0) length = v.Length;
        double s = 0;
        for (int i = from; i < from + length; i++)
            for (int j = from; j < from + length; j++)
                s += v[i] * f[i, j] * v[j];
        return s;
    }

    public static double TopEigenvalue(double[,] f)
    {
        using var t = tensor(f);
        using var e = linalg.eigvalsh(t);
        return e.ToDoubleArray().Max();
    }
}
