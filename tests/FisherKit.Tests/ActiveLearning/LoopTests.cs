using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Loop;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Models;
using FisherKit.Training;

namespace FisherKit.Tests.ActiveLearning;

public sealed class LoopTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fk-al-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static PoolHolder RegressionPool(int n)
    {
        using var g = new Generator(3);
        var x = randn([n, 3], float64, generator: g);
        var y = x.sum(1) + randn([n], float64, generator: g) * 0.1;
        var xt = randn([50, 3], float64, generator: g);
        var yt = xt.sum(1);
        return new PoolHolder(PoolData.Regression(x, y, xt, yt));
    }

    /// <summary>Two Gaussian blobs in 4-D, 2 classes, with a test set.</summary>
    private static PoolHolder ClassificationPool(int n)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(4);
        var y = randint(0, 2, [n + 60], generator: g);
        var x = randn([n + 60, 4], generator: g) + y.unsqueeze(1).to(float32) * 1.5;
        var pool = PoolData.Classification(scope.MoveToOuter(x.narrow(0, 0, n).clone()), scope.MoveToOuter(y.narrow(0, 0, n).clone()), 2,
            scope.MoveToOuter(x.narrow(0, n, 60).clone()), scope.MoveToOuter(y.narrow(0, n, 60).clone()));
        return new PoolHolder(pool);
    }

    private static NetworkModel Net(long seed) =>
        new(TaskKind.Classification, nn.Sequential(nn.Linear(4, 16), nn.ReLU(), new McDropoutLayer(0.3), nn.Linear(16, 2)), seed,
            new TrainingOptions { Epochs = 15, BatchSize = 8 });

    [Fact]
    public void The_loop_never_labels_a_point_twice_and_spends_exactly_the_budget()
    {
        using var pool = RegressionPool(60);
        var options = new LoopOptions { InitialSize = 5, BatchSize = 4, Budget = 23, Metrics = [Metric.TestRmse, Metric.PoolRmse] };
        var loop = new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new RandomAcquisition(), options);
        var run = loop.Run(seed: 1);
        Assert.Equal(23, run.Labelled.Count);
        Assert.Equal(23, run.Labelled.Distinct().Count());
        Assert.Equal(new[] { 5, 9, 13, 17, 21, 23 }, run.Rounds.Select(r => r.Labels));
        Assert.Equal(run.Labelled, run.Rounds.SelectMany(r => r.Selected));
        Assert.Equal(12, run.Records.Count());
    }

    [Fact]
    public void The_loop_stops_when_the_pool_is_exhausted_before_the_budget()
    {
        using var pool = RegressionPool(13);
        var options = new LoopOptions { InitialSize = 4, BatchSize = 4, Budget = 100 };
        var run = new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new GreedySampling(GreedySamplingKind.IGS), options).Run(0);
        Assert.Equal(13, run.Labelled.Distinct().Count());
        Assert.Equal(new[] { 4, 8, 12, 13 }, run.Rounds.Select(r => r.Labels));
    }

    [Fact]
    public void An_acquisition_that_repeats_a_point_is_refused()
    {
        using var pool = RegressionPool(20);
        var loop = new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new Repeating(), new LoopOptions { InitialSize = 3, BatchSize = 2, Budget = 8 });
        var e = Assert.Throws<InvalidOperationException>(() => loop.Run(0));
        Assert.Contains("twice", e.Message);
    }

    [Fact]
    public void A_model_of_the_other_task_or_of_another_class_count_is_refused()
    {
        using var classes = ClassificationPool(40);
        var options = new LoopOptions { InitialSize = 4, BatchSize = 2, Budget = 8 };
        var e = Assert.Throws<ArgumentException>(() => new ActiveLearningLoop(classes.Pool, _ => new RidgeRegression(4), new RandomAcquisition(), options).Run(0));
        Assert.Contains("Regression model for a Classification pool", e.Message);
        // Five outputs for two classes: trains (labels 0, 1 are valid outputs) and was scored over five classes.
        NetworkModel Wide(long seed) => new(TaskKind.Classification, nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 5)), seed, new TrainingOptions { Epochs = 1, BatchSize = 4 });
        e = Assert.Throws<ArgumentException>(() => new ActiveLearningLoop(classes.Pool, Wide, new RandomAcquisition(), options).Run(0));
        Assert.Contains("[1, 5]", e.Message);
        Assert.Contains("2 classes", e.Message);
    }

    [Fact]
    public void A_failing_model_factory_leaves_a_valid_checkpoint_in_place()
    {
        using var pool = RegressionPool(30);
        var options = new LoopOptions { InitialSize = 4, BatchSize = 2, Budget = 8, Checkpoints = new ResultCache(_dir) };
        var first = new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new RandomAcquisition(), options);
        first.Run(0);
        var entry = options.Checkpoints.Open(first.CheckpointKey(0));
        Assert.True(entry.IsValid);
        // The same method and key, but a factory that makes a classifier: the run fails, the checkpoint stays.
        var wrong = new ActiveLearningLoop(pool.Pool, s => new NetworkModel(TaskKind.Classification, nn.Sequential(nn.Linear(3, 2)), s), new RandomAcquisition(), options);
        Assert.Equal(first.CheckpointKey(0).Hash, wrong.CheckpointKey(0).Hash);
        Assert.Throws<ArgumentException>(() => wrong.Run(0));
        Assert.True(options.Checkpoints.Open(first.CheckpointKey(0)).IsValid);
        Assert.Equal(3, new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new RandomAcquisition(), options).Run(0).ResumedRounds);
    }

    [Fact]
    public void Labels_from_an_oracle_are_checked_before_they_are_used()
    {
        using var pool = RegressionPool(30);
        var options = new LoopOptions { InitialSize = 4, BatchSize = 2, Budget = 8 };
        var e = Assert.Throws<InvalidOperationException>(() => new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new RandomAcquisition(), options, new NaNOracle()).Run(0));
        Assert.Contains("NaN or infinite", e.Message);
        Assert.Contains("oracle's labels of round 0", e.Message);
    }

    private sealed class NaNOracle : IOracle
    {
        public Tensor Label(IReadOnlyList<long> indices) => full([indices.Count], double.NaN, float64);
    }

    [Fact]
    public void A_pool_with_non_finite_inputs_is_refused_naming_the_point()
    {
        using var x = randn([10, 3], float64, generator: new Generator(1));
        x[6, 1] = tensor(double.NaN);
        using var y = zeros([10], float64);
        var e = Assert.Throws<ArgumentException>(() => PoolData.Regression(x, y));
        Assert.Contains("first at point 6", e.Message);
        using var xt = randn([4, 3], float64, generator: new Generator(2));
        xt[3, 0] = tensor(double.PositiveInfinity);
        using var ok = randn([10, 3], float64, generator: new Generator(3));
        e = Assert.Throws<ArgumentException>(() => PoolData.Regression(ok, y, xt, zeros([4], float64)));
        Assert.Contains("Test inputs", e.Message);
        using var noTest = zeros([0, 3], float64);
        using var noTargets = zeros([0], float64);
        Assert.Equal(0, PoolData.Regression(ok, y, noTest, noTargets).TestInputs!.shape[0]);   // an empty test set is allowed
    }

    private sealed class Repeating : IAcquisition
    {
        public string Name => "repeating";
        public AcquisitionFamily Family => AcquisitionFamily.Random;
        public IReadOnlyList<long> Select(AcquisitionContext context, int count) => [context.Candidates[0], context.Candidates[0]];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_resumed_run_equals_an_uninterrupted_run_with_the_same_seed(bool warmStart)
    {
        using var pool = ClassificationPool(80);
        var options = new LoopOptions
        {
            Initial = InitialStrategies.BalancedRandom(), InitialSize = 4, BatchSize = 3, Budget = 16, CandidateSubset = 30, WarmStart = warmStart,
            Metrics = [Metric.TestAccuracy, Metric.TestNll],
        };
        var full = new ActiveLearningLoop(pool.Pool, Net, new Bald(samples: 4), options).Run(seed: 9);
        Assert.Equal(5, full.Rounds.Count);

        var checkpoints = new ResultCache(_dir);
        var withCheckpoint = options with { Checkpoints = checkpoints };
        using var cts = new CancellationTokenSource();
        var seen = new List<int>();
        var interrupted = new ActiveLearningLoop(pool.Pool, Net, new Bald(samples: 4), withCheckpoint);
        Assert.ThrowsAny<OperationCanceledException>(() => interrupted.Run(9, new ProgressCallback<RoundResult>(r => { seen.Add(r.Round); if (r.Round == 2) cts.Cancel(); }), cts.Token));
        Assert.Equal(new[] { 0, 1, 2 }, seen);
        var entry = checkpoints.Open(interrupted.CheckpointKey(9));
        Assert.True(entry.IsValid);
        Assert.True(File.Exists(entry.PathOf(ActiveLearningLoop.CheckpointFile)));

        var streamed = new List<RoundResult>();
        var resumed = new ActiveLearningLoop(pool.Pool, Net, new Bald(samples: 4), withCheckpoint).Run(9, new ProgressCallback<RoundResult>(streamed.Add));
        Assert.Equal(3, resumed.ResumedRounds);
        Assert.Equal(new[] { true, true, true, false, false }, streamed.Select(r => r.FromCheckpoint));
        Assert.Equal(full.Labelled, resumed.Labelled);
        Assert.Equal(full.LabelledRounds, resumed.LabelledRounds);
        Assert.Equal(full.Records, resumed.Records);
        // Only the latest model file is kept in the entry.
        Assert.Single(Directory.GetFiles(entry.Folder, "*.safetensors"));
    }

    [Fact]
    public void Checkpoints_of_other_settings_or_another_engine_are_never_resumed()
    {
        using var pool = RegressionPool(30);
        var log = new StringWriter();
        var checkpoints = new ResultCache(_dir) { Log = log };
        var options = new LoopOptions { InitialSize = 4, BatchSize = 2, Budget = 8, Checkpoints = checkpoints };
        var first = new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new RandomAcquisition(), options);
        var done = first.Run(0);
        // Other settings: another key, another entry; nothing is resumed.
        var other = new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new RandomAcquisition(), options with { BatchSize = 3 });
        Assert.NotEqual(first.CheckpointKey(0).Hash, other.CheckpointKey(0).Hash);
        Assert.Equal(0, other.Run(0).ResumedRounds);
        // The same settings resume a finished run without recomputing anything.
        var again = first.Run(0);
        Assert.Equal(again.Rounds.Count, again.ResumedRounds);
        Assert.Equal(done.Records, again.Records);
        Assert.Equal("", log.ToString());
        // A checkpoint written by another engine is not resumed: the run starts over and says why.
        var entry = checkpoints.Open(first.CheckpointKey(0));
        File.WriteAllText(entry.PathOf(ResultCache.KeyFile), first.CheckpointKey(0).WithEngine("TorchSharp 0.107.0, libtorch 2.10.0, oneDNN on").Text);
        var rerun = first.Run(0);
        Assert.Equal(0, rerun.ResumedRounds);
        Assert.Equal(done.Records, rerun.Records);
        Assert.Contains("starting", log.ToString());
        Assert.Contains("oneDNN on", log.ToString());
        Assert.True(checkpoints.Open(first.CheckpointKey(0)).IsValid);
        // A damaged checkpoint: the same.
        File.WriteAllText(entry.PathOf(ActiveLearningLoop.CheckpointFile), "{ not json");
        Assert.Equal(0, first.Run(0).ResumedRounds);
        Assert.Contains("could not be resumed", log.ToString());
        // Retrain starts over without a word.
        var before = log.ToString();
        Assert.Equal(0, new ActiveLearningLoop(pool.Pool, _ => new RidgeRegression(3), new RandomAcquisition(), options with { Checkpoints = checkpoints with { Retrain = true } }).Run(0).ResumedRounds);
        Assert.Equal(before, log.ToString());
    }

    [Fact]
    public void Records_round_trip_through_csv_and_summaries_match_hand_values()
    {
        var records = new List<ResultRecord>
        {
            new("A", 0, 0, 10, "err", 0.5), new("A", 0, 1, 20, "err", 0.3), new("A", 1, 0, 10, "err", 0.7), new("A", 1, 1, 20, "err", 0.1),
            new("B, \"quoted\"", 0, 0, 10, "err", 0.4), new("B, \"quoted\"", 0, 1, 20, "err", 0.35),
        };
        var path = Path.Combine(_dir, "r.csv");
        ResultTable.WriteCsv(path, records);
        Assert.Equal(records, ResultTable.ReadCsv(path));
        var curves = LearningCurves.Summarize(records, "err");
        var a20 = curves.Single(c => c.Method == "A" && c.Labels == 20);
        Assert.Equal(0.2, a20.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), a20.StdDev, 12);
        var need = LearningCurves.LabelsNeeded(records, "err", 0.36, higherIsBetter: false);
        Assert.Equal(20, need.Single(n => n.Method == "A").MeanCurve);
        Assert.Equal(20, need.Single(n => n.Method == "A").PerSeed[0]);
        Assert.Equal(20, need.Single(n => n.Method.StartsWith('B')).MeanCurve);
        Assert.Equal(0.6 + 0.2, LearningCurves.AreaUnderMeanCurve(records, "err")["A"], 12);
    }

    [Fact]
    public void An_experiment_runs_every_method_for_every_seed()
    {
        using var pool = RegressionPool(40);
        var exp = new ActiveLearningExperiment(pool.Pool, new LoopOptions { InitialSize = 4, BatchSize = 2, Budget = 8, Metrics = [Metric.TestRmse] })
            .Add("random", new RandomAcquisition(), _ => new RidgeRegression(3))
            .Add("GSx", new GreedySampling(), _ => new RidgeRegression(3), InitialStrategies.GSx());
        var cache = new ResultCache(Path.Combine(_dir, "exp"));
        var results = exp.Run([0, 1], cache, CacheKey.For("tests/exp"));
        Assert.Equal(4, results.Runs.Count);
        Assert.Equal(2 * 2 * 3, results.Records.Count);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(_dir, "exp"), ActiveLearningLoop.CheckpointFile, SearchOption.AllDirectories).Length);
        Assert.Equal(["GSx.seed0", "GSx.seed1", "random.seed0", "random.seed1"],
            Directory.GetDirectories(Path.Combine(_dir, "exp", "tests", "exp")).Select(d => Path.GetFileName(d)[..^17]).Order(StringComparer.Ordinal));
    }
}
