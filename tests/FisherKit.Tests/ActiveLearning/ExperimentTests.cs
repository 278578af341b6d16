using FisherKit.ActiveLearning.Experiments;
using FisherKit.Data.Tabular;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Training;

namespace FisherKit.Tests.ActiveLearning;

public sealed class ExperimentTests
{
    [Theory]
    [InlineData(1030, 60)]   // Concrete: ⌈103⌉ capped at 60
    [InlineData(506, 51)]    // Boston: ⌈50.6⌉
    [InlineData(442, 45)]    // Diabetes: ⌈44.2⌉
    [InlineData(150, 20)]    // ⌈15⌉ raised to 20
    [InlineData(100, 20)]
    public void Wu_budget_is_min_60_max_20_ceil_tenth_of_the_rows(int rows, int budget) => Assert.Equal(budget, WuProtocol.Budget(rows));

    [Theory]
    [InlineData(8, 9)]
    [InlineData(13, 14)]
    [InlineData(10, 11)]
    [InlineData(30, 20)]
    public void Wu_initial_size_is_min_20_features_plus_one(int features, int size) => Assert.Equal(size, WuProtocol.InitialSize(features));

    private static TabularDataset Synthetic(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n, d];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) x[i, j] = rng.NextDouble() * (j + 2) + j;
            y[i] = x[i, 0] - 0.5 * x[i, d - 1] + 0.1 * rng.NextDouble();
        }
        return new TabularDataset("synthetic", Enumerable.Range(0, d).Select(j => $"x{j}").ToArray(), "y", x, y, "test");
    }

    [Fact]
    public void Z_scored_columns_have_mean_zero_and_unit_sample_deviation()
    {
        var (x, y) = WuProtocol.ZScore(Synthetic(40, 3, 1));
        using (x)
        using (y)
        using (var m = x.mean([0]))
        using (var s = x.std(0, unbiased: true))
        {
            Assert.True(m.abs().max().ToDouble() < 1e-12);
            Assert.True((s - 1).abs().max().ToDouble() < 1e-12);
        }
    }

    [Fact]
    public void Wu_protocol_smoke_run_labels_one_point_per_round_from_a_shared_GSx_start()
    {
        var data = Synthetic(120, 3, 2);
        var settings = WuProtocolSettings.Quick with { Repeats = 1 };
        var results = WuProtocol.Run(data, settings);
        Assert.Equal(WuProtocol.Methods(settings, 3).Select(m => m.Name), results.Runs.Select(r => r.Method));
        int m0 = WuProtocol.InitialSize(3), budget = WuProtocol.Budget(120);
        foreach (var run in results.Runs)
        {
            Assert.Equal(budget, run.Labelled.Distinct().Count());
            Assert.Equal(Enumerable.Range(m0, budget - m0 + 1), run.Rounds.Select(r => r.Labels));
        }
        var starts = results.Runs.Where(r => r.Method != "Random (BL)").Select(r => string.Join(",", r.Rounds[0].Selected)).Distinct();
        Assert.Single(starts);
        Assert.All(results.Records.Where(r => r.Metric == "pool CC"), r => Assert.InRange(r.Value, 0.5, 1.0));
    }

    [Fact]
    public void Gal_protocol_smoke_run_on_synthetic_images()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        // 3 classes of 8×8 images: a bright row whose position is the class, plus noise.
        var labels = randint(0, 3, [150], generator: g);
        var images = rand([150, 1, 8, 8], generator: g) * 0.3;
        var rows = labels * 3 + 1;
        var mask = arange(8).unsqueeze(0).eq(rows.unsqueeze(1)).to(float32);    // (150, 8)
        images = images + mask.unsqueeze(1).unsqueeze(3).expand(150, 1, 8, 8);
        var settings = GalProtocolSettings.Quick with
        {
            Budget = 12, AcquisitionSize = 3, InitialPerClass = 2, CandidateSubset = 40, PoolSize = 100, TestSize = 50, ValidationSize = 0,
            McSamples = 3, Methods = ["BALD", "BAIT (last layer)"], Training = new TrainingOptions { Epochs = 5, BatchSize = 8, WeightDecayPerPoint = 3.5 },
        };
        var results = GalProtocol.Run(images.narrow(0, 0, 100), labels.narrow(0, 0, 100), images.narrow(0, 100, 50), labels.narrow(0, 100, 50), settings);
        Assert.Equal(GalProtocol.Methods(settings, 1, 8, 8, 3).Select(m => m.Name), results.Runs.Select(r => r.Method));
        Assert.Equal(["BALD", "BAIT (last layer)"], results.Runs.Select(r => r.Method));
        Assert.All(results.Runs, r => Assert.Equal(new[] { 6, 9, 12 }, r.Rounds.Select(x => x.Labels)));
        Assert.All(results.Runs, r => Assert.Equal(12, r.Labelled.Distinct().Count()));
        Assert.All(results.Records.Where(r => r.Metric == "test error"), r => Assert.InRange(r.Value, 0, 1));
        // Pool index → training image: the balanced initial set has 2 images of each class.
        var pool = GalProtocol.PoolIndices(100, settings).ToArray<long>();
        var trainLabels = labels.narrow(0, 0, 100).ToArray<long>();
        Assert.All(results.Runs, r => Assert.Equal(new[] { 2, 2, 2 },
            r.Labelled.Take(6).Select(i => trainLabels[pool[i]]).GroupBy(c => c).OrderBy(c => c.Key).Select(c => c.Count())));
    }

    [Fact]
    public void Gal_pool_indices_are_a_fixed_subset_without_the_validation_images()
    {
        var settings = GalProtocolSettings.Quick with { ValidationSize = 30, PoolSize = 50 };
        using var a = GalProtocol.PoolIndices(200, settings);
        using var b = GalProtocol.PoolIndices(200, settings);
        using var all = GalProtocol.PoolIndices(200, settings with { PoolSize = null });
        using var withValidation = GalProtocol.PoolIndices(200, settings with { PoolSize = null, ValidationSize = 0 });
        var pool = a.ToArray<long>();
        Assert.Equal(50, pool.Length);
        Assert.Equal(50, pool.Distinct().Count());
        Assert.All(pool, i => Assert.InRange(i, 0, 199));
        Assert.Equal(pool, b.ToArray<long>());
        Assert.Equal(170, all.shape[0]);
        Assert.Equal(pool, all.ToArray<long>().Take(50));
        // The held-out images are the first 30 of the same permutation.
        var held = withValidation.ToArray<long>().Take(30).ToHashSet();
        Assert.DoesNotContain(all.ToArray<long>(), held.Contains);
        Assert.Throws<ArgumentException>(() => GalProtocol.PoolIndices(30, settings));
    }

    [Fact]
    public void Peak_position_signals_peak_at_their_position_and_the_pool_is_skewed_low()
    {
        var (s, mu) = PeakPositionTask.Generate(400, 3, skewedPositions: true);
        var (_, uniform) = PeakPositionTask.Generate(400, 4, skewedPositions: false);
        using (s)
        using (mu)
        using (uniform)
        {
            Assert.InRange(mu.min().item<float>(), 0.15f, 0.85f);
            Assert.InRange(mu.max().item<float>(), 0.15f, 0.85f);
            // E[0.15 + 0.7u²] = 0.383 against 0.5 for uniform positions.
            Assert.InRange(mu.mean().item<float>(), 0.35f, 0.42f);
            Assert.InRange(uniform.mean().item<float>(), 0.46f, 0.54f);
            // The brightest sample lies within two samples of the line position (noise 0.02, baseline ≤ 0.3).
            var peak = s.argmax(1).to(float32) / (PeakPositionTask.SignalLength - 1);
            using var err = (peak - mu.squeeze(1)).abs();
            Assert.True(err.max().item<float>() < 2.5f / (PeakPositionTask.SignalLength - 1));
        }
    }
}
