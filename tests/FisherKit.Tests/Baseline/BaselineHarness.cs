using System.Globalization;
using System.Text;
using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Learners;
using FisherKit.ActiveLearning.Loop;
using FisherKit.Models;
using FisherKit.Tests.Training;
using FisherKit.Tests.Uncertainty;
using FisherKit.Training;
using FisherKit.Uncertainty;

namespace FisherKit.Tests.Baseline;

[Collection(LeakChecks.Name)]
public sealed class BaselineHarness
{
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string Fp(Dictionary<string, Tensor> d)
    {
        var sb = new StringBuilder();
        foreach (var (k, t) in d.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var f = t.to(ScalarType.Float64);
            sb.Append(k).Append(':').Append(string.Join(",", f.reshape(-1).ToArray<double>().Select(R))).Append(';');
            t.Dispose();
        }
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }
    private static string Fp(nn.Module m) => Fp(m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone()));

    [Fact]
    public void Write()
    {
        var o = new StringBuilder();
        // A: classifier, dropout, Adam
        using (var train = TinyTraining.Data(96, seed: 1))
        using (var val = TinyTraining.Data(24, seed: 2))
        {
            foreach (var (name, opt) in new[]
            {
                ("A", new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 5, LearningRate = 0.01, RecordEvery = 2 }),
                ("B", new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 6, LearningRate = 0.01, Optimizer = OptimizerKind.Sgd, WeightDecay = 1e-3, RecordEvery = 4 }),
                ("C", new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 7, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine }),
            })
            {
                using var model = TinyTraining.Spec(dropout: true).Build(seed: 0);
                var h = ClassifierTraining.Fit(model, train, val, opt);
                o.AppendLine($"{name} weights {Fp(model)} training {model.training}");
                foreach (var r in h.Records) o.AppendLine($"{name} rec {r.Epoch} {r.Step} {R(r.EpochProgress)} {R(r.TrainLoss)} {R(r.TrainAccuracy!.Value)} {r.ValidationLoss?.ToString("R")} {r.ValidationAccuracy?.ToString("R")} {R(r.LearningRate)}");
            }
        }
        // D/E: regression
        using (var data = new TinyTwiData(count: 24))
        {
            foreach (var (name, head, opt, dropout) in new[]
            {
                ("D", RegressionHead.Gaussian, new TrainingOptions { Epochs = 3, BatchSize = 8, LearningRate = 1e-2, WeightDecay = 1e-4, WarmupEpochs = 1, Schedule = LearningRateSchedule.Cosine, Seed = 3 }, 0.2),
                ("E", RegressionHead.Mean, new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 1e-2, Seed = 3 }, 0.0),
            })
            {
                manual_seed(11);
                using var net = new UNet(new UNetOptions(9, Depth: 2, BaseWidth: 4, Head: head, Dropout: dropout));
                var h = UNetTraining.Fit(net, data.Data, data.Data, opt);
                o.AppendLine($"{name} weights {Fp(net)} training {net.training}");
                foreach (var e in h.EpochEnds) o.AppendLine($"{name} epoch {e.Epoch} {R(e.EpochTrainLoss!.Value)} {e.ValidationLoss?.ToString("R")} {e.WarmUp}");
                o.AppendLine($"{name} steps {string.Join(",", h.StepLosses.Select(R))}");
            }
            var ens = DeepEnsemble.Train(new EnsembleOptions(2, new UNetOptions(9, Depth: 2, BaseWidth: 4, Head: RegressionHead.Gaussian, Dropout: 0.1),
                new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 1e-2, WarmupEpochs = 1, Schedule = LearningRateSchedule.Cosine }, BaseSeed: 5), data.Data, data.Data);
            o.AppendLine($"F members {string.Join(",", ens.Members.Select(m => Fp(m)))}");
            foreach (var h in ens.Histories) o.AppendLine($"F steps {string.Join(",", h.StepLosses.Select(R))}");
            ens.Dispose();
        }
        // G/H: NetworkModel
        using (var g = new Generator(3))
        {
            using var x = randn([37, 4], generator: g);
            using var y = x.select(1, 0).gt(0).to(ScalarType.Int64);
            var opt = new TrainingOptions { Epochs = 3, BatchSize = 8, MinSteps = 20, EqualBatches = true, WeightDecayPerPoint = 3.5, LearningRate = 0.01 };
            using var m = new NetworkModel(TaskKind.Classification, nn.Sequential(nn.Linear(4, 16), nn.ReLU(), new McDropoutLayer(0.3), nn.Linear(16, 8), nn.Dropout(0.2), nn.Linear(8, 2)), 4, opt);
            m.Fit(x, y, 5);
            o.AppendLine($"G state {Fp(m.StateDict())}");
            using var s = m.SamplePredictions(x, 3, 9);
            o.AppendLine($"G samples {Fp(new Dictionary<string, Tensor> { ["s"] = s.clone() })}");
            m.Fit(x, y, 6);
            o.AppendLine($"G state2 {Fp(m.StateDict())}");
            using var yr = x.sum(1) * 2 + 1;
            var optr = new TrainingOptions { Epochs = 5, BatchSize = 16, MinSteps = 7, LearningRate = 3e-3, WeightDecay = 1e-4 };
            using var mr = new NetworkModel(TaskKind.Regression, nn.Sequential(nn.Linear(4, 16), nn.Tanh(), new McDropoutLayer(0.1), nn.Linear(16, 1)), 8, optr);
            mr.Fit(x, yr, 2);
            o.AppendLine($"H state {Fp(mr.StateDict())}");
        }
        // I: an active-learning run
        {
            using var scope = NewDisposeScope();
            using var g = new Generator(4);
            var yy = randint(0, 2, [140], generator: g);
            var xx = randn([140, 4], generator: g) + yy.unsqueeze(1).to(float32) * 1.5;
            var pool = PoolData.Classification(xx.narrow(0, 0, 80), yy.narrow(0, 0, 80), 2, xx.narrow(0, 80, 60), yy.narrow(0, 80, 60));
            NetworkModel Net(long seed) => new(TaskKind.Classification, nn.Sequential(nn.Linear(4, 16), nn.ReLU(), new McDropoutLayer(0.3), nn.Linear(16, 2)), seed,
                new TrainingOptions { Epochs = 15, BatchSize = 8 });
            var options = new LoopOptions { Initial = InitialStrategies.BalancedRandom(), InitialSize = 4, BatchSize = 3, Budget = 16, CandidateSubset = 30, Metrics = [Metric.TestAccuracy, Metric.TestNll] };
            var run = new ActiveLearningLoop(pool, Net, new Bald(samples: 4), options).Run(seed: 9);
            foreach (var r in run.Records) o.AppendLine($"I {r}");
            var run2 = new ActiveLearningLoop(pool, s => EnsembleModel.Create(2, Net, s), new EnsembleVariance(3), options).Run(seed: 2);
            foreach (var r in run2.Records) o.AppendLine($"J {r}");
        }
        File.WriteAllText(Environment.GetEnvironmentVariable("FK_BASELINE_OUT") ?? "/tmp/baseline.txt", o.ToString());
    }
}
