using FisherKit.Uncertainty;
using FisherKit.Uncertainty.Benchmark;
using FisherKit.Uncertainty.Regression;
using FisherKit.Training;

namespace FisherKit.Tests.Uncertainty;

public class RegressionUqTests
{
    private static NetworkRegressionOptions Tiny => new()
    {
        Hidden = 8, HiddenLayers = 1, Dropout = 0.2, Passes = 12, Seed = 3,
        Training = new TrainingOptions { Epochs = 25, BatchSize = 16, LearningRate = 1e-2, WeightDecayPerPoint = 1, RecordEvery = 1000 },
    };

    private static (Tensor X, Tensor Y, Tensor XTest) Data(int dimension = 1)
    {
        var problem = BenchmarkProblem.Create(new BenchmarkSettings { Dimension = dimension, Terms = 3, Seed = 1, NoiseLevel = 0.2 });
        var train = problem.Sample(48, 1);
        var test = problem.Sample(20, 2);
        var (x, y) = train.ToTensors();
        return (x, y, BenchmarkData.ToTensor(test.Inputs));
    }

    [Fact]
    public void The_EiV_loss_equals_a_direct_computation_and_the_Gaussian_NLL_for_one_draw()
    {
        var rng = new Random(4);
        double[,] f = new double[4, 3];
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) { y[i] = rng.NextDouble(); for (int k = 0; k < 3; k++) f[i, k] = 2 * rng.NextDouble() - 1; }
        double logSigma = -0.7, sigma = Math.Exp(logSigma);
        using var loss = EiVLoss.PerExample(tensor(f), tensor(y), tensor(logSigma));
        var got = loss.data<double>().ToArray();
        for (int i = 0; i < 4; i++)
        {
            double mean = 0;
            for (int k = 0; k < 3; k++) mean += Math.Exp(-Math.Pow(y[i] - f[i, k], 2) / (2 * sigma * sigma)) / (Math.Sqrt(2 * Math.PI) * sigma) / 3;
            Assert.Equal(-Math.Log(mean), got[i], 12);
        }
        // K = 1: the Gaussian NLL with its constant.
        using var one = EiVLoss.PerExample(tensor(new double[,] { { 0.3 } }), tensor(new[] { 1.0 }), tensor(logSigma));
        Assert.Equal(0.5 * Math.Log(2 * Math.PI * sigma * sigma) + 0.49 / (2 * sigma * sigma), one.ToDouble(), 12);
        // Far from every draw the naive mean underflows; the log-sum-exp form stays finite and exact.
        using var far = EiVLoss.PerExample(tensor(new double[,] { { 0, 0.1 } }), tensor(new[] { 40.0 }), tensor(Math.Log(0.1)));
        double a = -39.9 * 39.9 / 0.02, b = -1600 / 0.02;                        // log-likelihoods up to the constant
        double expected = -(a + Math.Log(1 + Math.Exp(b - a)) - Math.Log(2)) + Math.Log(0.1) + 0.5 * Math.Log(2 * Math.PI);
        Assert.True(double.IsFinite(far.ToDouble()));
        Assert.Equal(expected, far.ToDouble(), 6);
    }

    [Fact]
    public void Group_dropout_shares_one_mask_per_group_of_K_rows()
    {
        using var layer = new GroupDropout(0.5) { GroupSize = 3 };
        layer.train();
        using var g = new Generator(7);
        layer.Generator = g;
        using var x = ones(6, 40);
        using var y = layer.call(x);
        Assert.True(y[0].eq(y[1]).all().item<bool>() && y[0].eq(y[2]).all().item<bool>());
        Assert.True(y[3].eq(y[5]).all().item<bool>());
        Assert.False(y[0].eq(y[3]).all().item<bool>());
        Assert.True(y.eq(0).logical_or(y.eq(2)).all().item<bool>());
        using var bad = ones(5, 4);
        Assert.Contains("multiple", Assert.Throws<ArgumentException>(() => layer.call(bad)).Message);
        layer.eval();
        using var same = layer.call(x);
        Assert.True(same.eq(x).all().item<bool>());
    }

    [Fact]
    public void Negative_or_misshapen_input_noise_and_mismatched_data_raise_clear_errors()
    {
        var (x, y, _) = Data(2);
        using (x) using (y)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => DropoutRegression.Train(x, y, Tiny, inputNoise: [-0.1]));
            Assert.Throws<ArgumentException>(() => DropoutRegression.Train(x, y, Tiny, inputNoise: [0.1, 0.1, 0.1]));
            Assert.Throws<ArgumentOutOfRangeException>(() => new RegressionNetworkOptions { Inputs = 2, InputNoise = [0.1, -1] }.Validate());
            using var shortY = y.narrow(0, 0, 10);
            Assert.Throws<ArgumentException>(() => EnsembleRegression.Train(x, shortY, Tiny, 3));
            Assert.Throws<ArgumentException>(() => DropoutRegression.Train(x, y, Tiny with { Dropout = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => EnsembleRegression.Train(x, y, Tiny, 3, EnsembleCorrection.FiniteEnsemble));
            using var net = new RegressionNetwork(new RegressionNetworkOptions { Inputs = 2 }, 0);
            using var wrong = ones(4, 3);
            Assert.Throws<ArgumentException>(() => net.call(wrong));
        }
    }

    [Fact]
    public void Targets_must_be_one_per_input_and_inputs_that_require_gradients_are_detached()
    {
        var (x, y, _) = Data(2);
        using (x) using (y)
        {
            // [N/2, 2] holds N values, but not one per input.
            using var paired = y.reshape(-1, 2);
            var e = Assert.Throws<ArgumentException>(() => Standardization.CheckData(x, paired));
            Assert.Contains("48 inputs need targets [48] or [48, 1], got [24, 2]", e.Message);
            using var column = y.reshape(-1, 1);
            Standardization.CheckData(x, column);
            // Inputs that require gradients: the networks train on a detached copy (else the second step's
            // backward ran through the caller's graph again).
            using var xg = x.detach().clone().requires_grad_();
            using var yg = y.detach().clone().requires_grad_();
            var scaling = Standardization.Fit(xg, yg);
            using (var sx = scaling.Inputs(xg)) Assert.False(sx.requires_grad);
            using (var sy = scaling.Targets(yg)) Assert.False(sy.requires_grad);
            using var net = DropoutRegression.Train(xg, yg, Tiny with { Training = Tiny.Training with { Epochs = 2 } });
        }
    }

    [Fact]
    public void Predictions_refuse_batch_sizes_below_1_and_name_non_finite_inputs()
    {
        var (x, y, xt) = Data();
        using (x) using (y) using (xt)
        {
            var options = Tiny with { Training = Tiny.Training with { Epochs = 2 } };
            using var mc = DropoutRegression.Train(x, y, options);
            // batchSize 0 looped for ever; −1 was a native narrow() error.
            Assert.Throws<ArgumentOutOfRangeException>(() => mc.Predict(xt, inputNoise: true, batchSize: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => mc.Predict(xt, inputNoise: true, batchSize: -1));
            using var bad = xt.clone();
            bad[3, 0] = tensor(double.NaN, dtype: bad.dtype);
            Assert.Contains("inputs contains NaN", Assert.Throws<ArgumentException>(() => mc.Predict(bad)).Message);
            using var ensemble = EnsembleRegression.Train(x, y, options with { Dropout = 0 }, 2);
            Assert.Contains("inputs contains NaN", Assert.Throws<ArgumentException>(() => ensemble.Predict(bad)).Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => ensemble.WithCorrection((EnsembleCorrection)64));
        }
    }

    [Fact]
    public void EiV_and_MC_dropout_decompositions_sum_to_their_totals()
    {
        var (x, y, xt) = Data();
        using (x) using (y) using (xt)
        {
            using var eiv = DropoutRegression.Train(x, y, Tiny, inputNoise: [0.1], inputDraws: 4);
            Assert.True(eiv.IsErrorsInVariables);
            Assert.Equal(4, eiv.InputDraws);
            var p = eiv.Predict(xt);
            Assert.Equal("EiV dropout", p.Method);
            for (int i = 0; i < p.Count; i++)
            {
                Assert.Equal(p.EpistemicVariance[i] + p.OutputNoiseVariance[i] + p.InputNoiseVariance[i], p.Variance[i], 12);
                Assert.Equal(p.OutputNoiseVariance[i] + p.InputNoiseVariance[i], p.AleatoricVariance[i], 12);
                Assert.Equal(Math.Pow(eiv.NoiseStd, 2), p.OutputNoiseVariance[i], 9);
                // Epistemic part = population variance of the T pass means less what K = 4 draws per pass add to it
                // (SplitInputNoise); mean = their mean.
                var column = p.Samples!.Select(s => s[i]).ToArray();
                double m = column.Average(), T = column.Length;
                Assert.Equal(m, p.Mean[i], 9);
                Assert.Equal(Math.Max(0, column.Average(v => (v - m) * (v - m)) - (T - 1) / T / 4 * p.InputNoiseVariance[i]), p.EpistemicVariance[i], 9);
            }
            Assert.True(p.InputNoiseVariance.All(v => v > 0));
            Assert.True(p.EpistemicVariance.Count(v => v > 0) > p.Count / 2);
            var clean = eiv.Predict(xt, inputNoise: false);
            Assert.All(clean.InputNoiseVariance, v => Assert.Equal(0, v));
            Assert.Equal(p.Mean, eiv.Predict(xt).Mean);                        // reproducible for its seed

            using var mc = DropoutRegression.Train(x, y, Tiny);
            var q = mc.Predict(xt);
            Assert.Equal("MC dropout", q.Method);
            Assert.All(q.InputNoiseVariance, v => Assert.Equal(0, v));
            for (int i = 0; i < q.Count; i++) Assert.Equal(q.EpistemicVariance[i] + q.OutputNoiseVariance[i], q.Variance[i], 12);
        }
    }

    [Fact]
    public void The_input_noise_split_is_unbiased_for_few_draws_per_pass()
    {
        // F_tk = b_t + w_tk with Var b = B = 0.5 (epistemic) and Var w = W = 2 (input noise); K = 5 draws per pass.
        const int T = 400, K = 5, inputs = 2000;
        const double B = 0.5, W = 2.0;
        var random = new Random(11);
        var passMeanVariance = new double[inputs];
        var within = new double[inputs];
        var plainWithin = new double[inputs];
        for (int i = 0; i < inputs; i++)
        {
            var means = new double[T];
            for (int t = 0; t < T; t++)
            {
                double b = Math.Sqrt(B) * random.NextNormal();
                var f = Enumerable.Range(0, K).Select(_ => b + Math.Sqrt(W) * random.NextNormal()).ToArray();
                means[t] = f.Average();
                double ss = f.Sum(v => (v - means[t]) * (v - means[t]));
                within[i] += ss / (K - 1) / T;
                plainWithin[i] += ss / K / T;
            }
            double m = means.Average();
            passMeanVariance[i] = means.Average(v => (v - m) * (v - m));
        }
        var epistemic = DropoutRegression.SplitInputNoise(passMeanVariance, within, K, T);
        // Averages over 2000 inputs: standard errors about 0.001 (W) and 0.0015 (B).
        Assert.Equal(W, within.Average(), 0.01);
        Assert.Equal((T - 1.0) / T * B, epistemic.Average(), 0.01);
        // Plain population variances: a fifth of the input noise counted as epistemic.
        Assert.Equal((K - 1.0) / K * W, plainWithin.Average(), 0.01);
        Assert.Equal((T - 1.0) / T * (B + W / K), passMeanVariance.Average(), 0.01);
        Assert.Same(passMeanVariance, DropoutRegression.SplitInputNoise(passMeanVariance, within, 1, T));   // K = 1: nothing to take out
    }

    [Fact]
    public void Ensembles_and_Laplace_approximations_decompose_and_agree_with_independent_computations()
    {
        var (x, y, xt) = Data();
        using (x) using (y) using (xt)
        {
            var options = Tiny with { Dropout = 0 };
            using var ensemble = EnsembleRegression.Train(x, y, options, 4);
            var plain = ensemble.Predict(xt);
            using var view = ensemble.WithCorrection(EnsembleCorrection.FiniteEnsemble);
            var corrected = view.Predict(xt);
            Assert.Equal(3, corrected.DegreesOfFreedom);
            for (int i = 0; i < plain.Count; i++)
            {
                Assert.Equal(plain.EpistemicVariance[i] * 5.0, corrected.EpistemicVariance[i], 9);   // (M + 1)/(M − 3) = 5 for M = 4
                Assert.Equal(plain.EpistemicVariance[i] + plain.AleatoricVariance[i], plain.Variance[i], 12);
                Assert.Equal(corrected.EpistemicVariance[i] + corrected.AleatoricVariance[i], corrected.Variance[i], 12);
            }
            Assert.Equal(4, plain.Samples!.Length);

            using var last = LaplaceRegression.Train(x, y, options, LaplaceKind.LastLayer);
            using var ggn = LaplaceRegression.Train(x, y, options, LaplaceKind.GeneralizedGaussNewton);
            Assert.Equal(9, last.Size);
            Assert.Equal(8 + 8 + 9, ggn.Size);
            var pl = last.Predict(xt);
            var pg = ggn.Predict(xt);
            // Independent last-layer computation: features φ̃ = (body(x), 1), H = λI + Σ φ̃φ̃ᵀ/σ², variance φ̃ᵀH⁻¹φ̃.
            using var scope = NewDisposeScope();
            var net = last.Network;
            net.eval();
            Tensor Features(Tensor inputs)
            {
                using var _ = no_grad();
                var f = net.Body.call(last.Scaling.Inputs(inputs)).to(ScalarType.Float64);
                return cat([f, ones(f.shape[0], 1, dtype: ScalarType.Float64)], 1);
            }
            var phi = Features(x);
            double s2 = Math.Pow(net.NoiseStd, 2);
            var h = eye(9, dtype: ScalarType.Float64) * last.PriorPrecision + phi.t().matmul(phi) / s2;
            var pt = Features(xt);
            var v = (pt.matmul(linalg.inv(h)) * pt).sum(1) * Math.Pow(last.Scaling.TargetStd, 2);
            var expected = v.data<double>().ToArray();
            for (int i = 0; i < pl.Count; i++)
            {
                Assert.Equal(expected[i], pl.EpistemicVariance[i], 1e-6 * expected[i] + 1e-12);
                Assert.Equal(pl.EpistemicVariance[i] + pl.OutputNoiseVariance[i], pl.Variance[i], 12);
                // The same network (same seed and training): all weights uncertain ≥ last layer alone.
                Assert.Equal(pl.Mean[i], pg.Mean[i], 6);
                Assert.True(pg.EpistemicVariance[i] >= pl.EpistemicVariance[i] * (1 - 1e-6), $"{pg.EpistemicVariance[i]} < {pl.EpistemicVariance[i]}");
            }
            // The linearised-network draws have the epistemic variance (Monte Carlo, 4000 draws: ±10 %).
            var many = last.Predict(xt, 4000, seed: 1);
            for (int i = 0; i < 5; i++)
            {
                var col = many.Samples!.Select(s => s[i]).ToArray();
                double m = col.Average();
                Assert.InRange(col.Average(c => (c - m) * (c - m)) / many.EpistemicVariance[i], 0.9, 1.1);
            }
        }
    }

    [Fact]
    public void A_benchmark_run_scores_the_reference_and_every_method_on_the_same_data()
    {
        var problem = BenchmarkProblem.Create(new BenchmarkSettings { Dimension = 2, Terms = 4, Seed = 9 });
        var run = UqBenchmark.Run(problem, 40, 30, dataSeed: 2, Tiny with { Passes = 4, Training = Tiny.Training with { Epochs = 3 } }, UqMethods.All, members: 4, setting: "tiny");
        Assert.Equal(["reference", "MC dropout", "deep ensemble", "deep ensemble (corrected)", "last-layer Laplace", "GGN Laplace"], run.Predictions.Select(p => p.Method).ToArray());
        Assert.All(run.Scores, s => Assert.Equal("tiny", s.Setting));
        Assert.All(run.Predictions, p => Assert.Equal(30, p.Count));
        Assert.Equal(1, run.Scores[0].RatioMedian, 12);
        Assert.All(run.Scores, s => Assert.InRange(s.CoverageF95, 0, 1));
        Assert.Equal(problem.Function(run.Test!.Inputs), run.Test.Function);
    }
}

[Collection(LeakChecks.Name)] // runs alone: reads the process-wide live-tensor count
public class LaplaceRegressionLeakTests
{
    [Fact]
    public void Laplace_predictions_leave_no_tensor_behind()
    {
        var problem = BenchmarkProblem.Create(new BenchmarkSettings { Dimension = 1, Terms = 3, Seed = 1, NoiseLevel = 0.2 });
        var (x, y) = problem.Sample(48, 1).ToTensors();
        using var many = BenchmarkData.ToTensor(problem.Sample(500, 2).Inputs);
        using var one = many.narrow(0, 0, 1);
        var options = new NetworkRegressionOptions { Hidden = 8, HiddenLayers = 1, Dropout = 0, Passes = 4, Seed = 3,
            Training = new TrainingOptions { Epochs = 2, BatchSize = 16, WeightDecayPerPoint = 1, RecordEvery = 1000 } };
        using (x) using (y)
        using (var laplace = LaplaceRegression.Train(x, y, options, LaplaceKind.GeneralizedGaussNewton))
        {
            laplace.Predict(many);            // lazy statics first
            foreach (var inputs in new[] { many, one })
            {
                long before = LeakChecks.SettledCount();
                for (int i = 0; i < 20; i++) laplace.Predict(inputs);
                Assert.Equal(before, Tensor.TotalCount);   // not collected: a forgotten tensor must show, not be finalized
            }
        }
    }
}
