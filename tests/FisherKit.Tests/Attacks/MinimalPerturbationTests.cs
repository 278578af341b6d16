using FisherKit.Attacks;

namespace FisherKit.Tests.Attacks;

public class MinimalPerturbationTests
{
    /// <summary>An affine classifier f(x) = Wx + b on flat inputs (N, 1, 1, d), float64.</summary>
    private static nn.Module<Tensor, Tensor> Affine(double[,] w, double[] b)
    {
        var lin = nn.Linear(w.GetLength(1), w.GetLength(0), dtype: ScalarType.Float64);
        using (no_grad())
        {
            lin.weight.copy_(tensor(w));
            lin.bias!.copy_(tensor(b));
        }
        return nn.Sequential(nn.Flatten(), lin);
    }

    [Fact]
    public void DeepFool_finds_the_closed_form_minimal_perturbation_of_an_affine_classifier()
    {
        var w = new double[,] { { 1.0, 2.0, -1.0 }, { -0.5, 1.0, 0.3 }, { 0.2, -1.0, 2.0 } };
        var b = new[] { 0.1, -0.2, 0.0 };
        using var model = Affine(w, b);
        var x0 = new[] { 0.6, 0.4, 0.2 };
        // Closed form: predicted class k̂ = argmax f; for each k ≠ k̂ the boundary f_k = f_k̂ is at
        // distance (f_k̂ − f_k)/‖w_k − w_k̂‖; DeepFool's step goes to the nearest one.
        var f = new double[3];
        for (int k = 0; k < 3; k++) f[k] = b[k] + Enumerable.Range(0, 3).Sum(j => w[k, j] * x0[j]);
        int kh = Array.IndexOf(f, f.Max());
        double bestDist = double.PositiveInfinity;
        double[] expected = [];
        for (int k = 0; k < 3; k++)
        {
            if (k == kh) continue;
            var wd = Enumerable.Range(0, 3).Select(j => w[k, j] - w[kh, j]).ToArray();
            var nn2 = wd.Sum(v => v * v);
            var dist = Math.Abs(f[k] - f[kh]) / Math.Sqrt(nn2);
            if (dist < bestDist)
            {
                bestDist = dist;
                // r = (|f'| + 1e-4)/‖w'‖² w', scaled by 1 + overshoot.
                expected = wd.Select(v => 1.02 * (Math.Abs(f[k] - f[kh]) + 1e-4) / nn2 * v).ToArray();
            }
        }
        using var scope = NewDisposeScope();
        var x = tensor(x0, [1, 1, 1, 3]);
        var y = tensor(new long[] { kh });
        var attack = new DeepFool(overshoot: 0.02) { ClipMin = double.NegativeInfinity, ClipMax = double.PositiveInfinity };
        var xa = attack.Generate(model, x, y);
        var r = (xa - x).flatten().ToArray<double>();
        for (int j = 0; j < 3; j++) Assert.Equal(expected[j], r[j], 10);
        Assert.NotEqual(kh, model.call(xa).argmax(1).item<long>());
    }

    [Fact]
    public void DeepFool_perturbations_are_smaller_than_those_of_fixed_budget_attacks()
    {
        using var model = TinyModels.TrainedMlp();
        var (x, y) = TinyModels.Data(64, seed: 11);
        using (x)
        using (y)
        using (var df = new DeepFool().Run(model, x, y))
        using (var pgd = new Pgd(PerturbationNorm.L2, 3.0, steps: 20).Run(model, x, y))
        {
            Assert.True(df.SuccessRate > 0.9, df.Summary());
            Assert.True(df.MedianL2OfSuccessful < pgd.MedianL2OfSuccessful, $"{df.Summary()} | {pgd.Summary()}");
        }
    }

    [Fact]
    public void Carlini_wagner_comes_close_to_the_minimal_distance_of_a_linear_classifier()
    {
        // Two classes, f_1 − f_0 = w·x + c: the minimal L2 distance to the boundary is |w·x + c|/‖w‖.
        var w = new double[,] { { 0, 0, 0, 0 }, { 1.0, -2.0, 0.5, 1.5 } };
        var b = new[] { 0.0, -0.3 };
        using var model = Affine(w, b);
        var points = new[] { new[] { 0.5, 0.5, 0.5, 0.5 }, new[] { 0.2, 0.4, 0.6, 0.3 }, new[] { 0.7, 0.3, 0.4, 0.6 } };
        using var scope = NewDisposeScope();
        var x = tensor(points.SelectMany(p => p).ToArray(), [3, 1, 1, 4]);
        var wn = Math.Sqrt(1 + 4 + 0.25 + 2.25);
        var margins = points.Select(p => p[0] - 2 * p[1] + 0.5 * p[2] + 1.5 * p[3] - 0.3).ToArray();
        var y = tensor(margins.Select(m => m > 0 ? 1L : 0L).ToArray());
        var attack = new CarliniWagnerL2(initialConstant: 1, binarySearchSteps: 8, maxIterations: 200, learningRate: 0.02);
        using var result = attack.Run(model, x, y);
        Assert.Equal(1.0, result.SuccessRate);
        for (int i = 0; i < 3; i++)
        {
            var dmin = Math.Abs(margins[i]) / wn;
            // No successful perturbation is shorter than the distance to the boundary; CW gets within 15 %.
            Assert.InRange(result.L2[i], dmin * (1 - 1e-6), dmin * 1.15);
        }
    }
}
