using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using FisherKit.ActiveLearning.Acquisitions;
using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>
/// The pool-based active-learning loop. Round 0 chooses the initial set (<see cref="LoopOptions.Initial"/>),
/// labels it through the oracle and trains a model; every later round lets the acquisition choose a batch
/// among the unlabelled points (or a random subset of them) using the previous round's model, labels it,
/// trains (a fresh model from the factory, or the same one further with <see cref="LoopOptions.WarmStart"/>),
/// and evaluates the metrics, until the budget is spent or the pool is exhausted.
/// <para>
/// Every random choice of round r is drawn from seeds derived from (seed, r) (<see cref="SeedSequence"/>).
/// With <see cref="LoopOptions.Checkpoints"/>, the labelled set, the results and the model's tensors are
/// written to the run's entry of that <see cref="ResultCache"/> after every finished round (temporary files,
/// then rename); a later call with the same key (settings, method, pool, seed, engine) resumes after the last
/// finished round and ends with exactly the result of an uninterrupted run. A checkpoint of the same
/// settings made by another engine, or one that cannot be read, is not resumed: the run starts over and says
/// why on the cache's log.
/// </para>
/// </summary>
/// <example>
/// <code>
/// var loop = new ActiveLearningLoop(pool, seed => new NetworkModel(TaskKind.Classification, BuildNet(), seed),
///     new Bald(samples: 20), new LoopOptions { InitialSize = 20, BatchSize = 10, Budget = 200, Metrics = [Metric.TestError] });
/// var run = loop.Run(seed: 0, progress: new ProgressCallback&lt;RoundResult&gt;(r => Console.WriteLine($"{r.Labels}: {r.Metrics["test error"]}")));
/// </code>
/// </example>
public sealed class ActiveLearningLoop
{
    private readonly PoolData _pool;
    private readonly Func<long, IActiveModel> _modelFactory;
    private readonly IAcquisition _acquisition;
    private readonly IOracle _oracle;

    /// <summary>Creates the loop; the oracle defaults to the pool's known targets.</summary>
    public ActiveLearningLoop(PoolData pool, Func<long, IActiveModel> modelFactory, IAcquisition acquisition, LoopOptions options, IOracle? oracle = null)
    {
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        _modelFactory = modelFactory ?? throw new ArgumentNullException(nameof(modelFactory));
        _acquisition = acquisition ?? throw new ArgumentNullException(nameof(acquisition));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _oracle = oracle ?? new TensorOracle(pool.Targets ?? throw new ArgumentException("The pool has no known targets, so an oracle must be given.", nameof(oracle)));
    }

    /// <summary>The settings.</summary>
    public LoopOptions Options { get; }

    /// <summary>The method's name in records.</summary>
    public string Method => Options.Method ?? _acquisition.Name;

    /// <summary>Runs (or resumes) the loop for one seed.</summary>
    public LoopRun Run(long seed, IProgress<RoundResult>? progress = null, CancellationToken cancellationToken = default)
    {
        using var labelled = new LabelledSet(_pool.Count);
        var rounds = new List<RoundResult>();
        IActiveModel? model = null;
        int resumed = 0;
        var entry = Options.Checkpoints is { } cache ? cache.Open(CheckpointKey(seed)) : null;
        try
        {
            if (entry is not null)
            {
                model = Resume(entry, seed, labelled, rounds);
                resumed = rounds.Count;
                foreach (var r in rounds) progress?.Report(r);
            }
            if (rounds.Count == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sw = Stopwatch.StartNew();
                model = NewModel(seed, 0);
                var all = Enumerable.Range(0, checked((int)_pool.Count)).Select(i => (long)i).ToArray();
                var ctx = new AcquisitionContext(_pool, labelled, all, model, SeedSequence.Derive(seed, 0, SeedSequence.Purpose.Initial), 0);
                var picks = Checked(Options.Initial, ctx, Options.Initial.Select(ctx, Math.Min(Options.InitialSize, all.Length)), Math.Min(Options.InitialSize, all.Length));
                Label(labelled, picks, 0);
                Train(model, labelled, SeedSequence.Derive(seed, 0, SeedSequence.Purpose.Fit));
                CheckPredictions(model);
                Finish(model, labelled, rounds, seed, 0, picks, sw, entry, progress);
            }
            while (labelled.Count < Options.Budget && labelled.Count < _pool.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sw = Stopwatch.StartNew();
                int round = rounds.Count;
                var candidates = Candidates(labelled, seed, round);
                var count = Math.Min(Options.BatchSize, Options.Budget - labelled.Count);
                var ctx = new AcquisitionContext(_pool, labelled, candidates, model, SeedSequence.Derive(seed, round, SeedSequence.Purpose.Acquire), round);
                var picks = Checked(_acquisition, ctx, _acquisition.Select(ctx, count), Math.Min(count, candidates.Count));
                Label(labelled, picks, round);
                if (!Options.WarmStart)
                {
                    model!.Dispose();
                    model = null;
                    model = NewModel(seed, round);
                }
                Train(model!, labelled, SeedSequence.Derive(seed, round, SeedSequence.Purpose.Fit));
                Finish(model!, labelled, rounds, seed, round, picks, sw, entry, progress);
            }
        }
        finally
        {
            model?.Dispose();
        }
        return new LoopRun(Method, seed, rounds, labelled.Indices.ToList(), labelled.Rounds.ToList(), resumed);
    }

    /// <summary>
    /// The key of this run's checkpoint: <see cref="LoopOptions.CheckpointKey"/> (the model, the experiment)
    /// with the loop's settings, the method, the pool's fingerprint and the seed, named
    /// "&lt;name&gt;/&lt;method&gt;.seed&lt;seed&gt;".
    /// </summary>
    public CacheKey CheckpointKey(long seed)
    {
        var key = Options.CheckpointKey ?? CacheKey.For("active-learning");
        return key.Renamed($"{key.Name}/{CacheKey.SafeName(Method)}.seed{seed.ToString(CultureInfo.InvariantCulture)}")
            .With("loop", Checkpoint.CurrentFormat)
            .With("method", Method)
            .With("acquisition", _acquisition.Name)
            .With("initial", Options.Initial.Name)
            .With("initial size", Options.InitialSize)
            .With("batch size", Options.BatchSize)
            .With("budget", Options.Budget)
            .With("candidate subset", Options.CandidateSubset?.ToString(CultureInfo.InvariantCulture) ?? "all")
            .With("warm start", Options.WarmStart)
            .With("metrics", string.Join(", ", Options.Metrics.Select(m => m.Name)))
            .With("task", _pool.Task.ToString())
            .With("pool", string.Create(CultureInfo.InvariantCulture, $"{_pool.Count} points {_pool.Fingerprint}"))
            .With("seed", seed);
    }

    private IReadOnlyList<long> Candidates(LabelledSet labelled, long seed, int round)
    {
        var unlabelled = labelled.Unlabelled();
        if (Options.CandidateSubset is not int s || s >= unlabelled.Length) return unlabelled;
        using var gen = new Generator((ulong)SeedSequence.Derive(seed, round, SeedSequence.Purpose.Subset));
        using var perm = randperm(unlabelled.Length, generator: gen);
        var take = perm.ToArray<long>().Take(s).Select(i => unlabelled[i]).ToArray();
        Array.Sort(take);
        return take;
    }

    private static List<long> Checked(IAcquisition who, AcquisitionContext ctx, IReadOnlyList<long> picks, int wanted)
    {
        ArgumentNullException.ThrowIfNull(picks);
        var allowed = new HashSet<long>(ctx.Candidates);
        var seen = new HashSet<long>();
        foreach (var p in picks)
        {
            if (!allowed.Contains(p)) throw new InvalidOperationException($"{who.Name} chose pool point {p}, which is not among this round's candidates.");
            if (!seen.Add(p)) throw new InvalidOperationException($"{who.Name} chose pool point {p} twice.");
        }
        if (picks.Count > wanted) throw new InvalidOperationException($"{who.Name} chose {picks.Count} points, {wanted} were asked for.");
        if (picks.Count == 0 && wanted > 0) throw new InvalidOperationException($"{who.Name} chose no point although {wanted} were asked for.");
        return picks.ToList();
    }

    private void Label(LabelledSet labelled, IReadOnlyList<long> picks, int round)
    {
        using var targets = _oracle.Label(picks);
        try
        {
            _pool.CheckTargets(targets, picks.Count, "targets");
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"The oracle's labels of round {round.ToString(CultureInfo.InvariantCulture)} are not valid: {e.Message}", e);
        }
        labelled.Add(picks, targets, round);
    }

    private IActiveModel NewModel(long seed, int round)
    {
        var model = _modelFactory(SeedSequence.Derive(seed, round, SeedSequence.Purpose.Model))
            ?? throw new InvalidOperationException("The model factory returned null.");
        if (model.Task != _pool.Task)
        {
            model.Dispose();
            throw new ArgumentException($"The model factory makes a {model.Task} model for a {_pool.Task} pool; its predictions, acquisitions and metrics would be meaningless.");
        }
        return model;
    }

    /// <summary>A classifier must predict the pool's classes: one probability per class (a wider network would train and be scored without complaint).</summary>
    private void CheckPredictions(IActiveModel model)
    {
        if (_pool.Task != TaskKind.Classification) return;
        using var scope = NewDisposeScope();
        var p = model.Predict(_pool.InputsAt([0L]));
        if (p.ndim != 2 || p.shape[1] != _pool.Classes)
            throw new ArgumentException($"The model predicts {TensorChecks.Shape(p.shape)} for one input, but the pool has {_pool.Classes} classes; the network's output layer must have {_pool.Classes} outputs.");
    }

    private void Train(IActiveModel model, LabelledSet labelled, long seed)
    {
        using var scope = NewDisposeScope();
        var x = _pool.InputsAt(labelled.Indices);
        model.Fit(x, labelled.Targets!, seed);
    }

    private void Finish(IActiveModel model, LabelledSet labelled, List<RoundResult> rounds, long seed, int round, IReadOnlyList<long> picks,
        Stopwatch sw, CacheEntry? entry, IProgress<RoundResult>? progress)
    {
        var metrics = new Dictionary<string, double>();
        using (var mc = new MetricContext(model, _pool, labelled))
            foreach (var m in Options.Metrics)
                metrics[m.Name] = m.Evaluate(mc);
        var result = new RoundResult(Method, seed, round, labelled.Count, picks.ToList(), metrics, sw.Elapsed, false);
        rounds.Add(result);
        if (entry is not null) Save(entry, seed, model, labelled, rounds);
        progress?.Report(result);
    }

    /// <summary>Writes the round's model, then the checkpoint that refers to it, then the key (each atomically), and removes the previous round's model.</summary>
    private void Save(CacheEntry entry, long seed, IActiveModel model, LabelledSet labelled, List<RoundResult> rounds)
    {
        var round = rounds[^1].Round;
        var weightsName = $"model.round{round}.safetensors";
        var state = model.StateDict();
        try { Safetensors.Save(entry.PathOf(weightsName), state); }
        finally { foreach (var t in state.Values) t.Dispose(); }
        var targets = labelled.Targets!;
        double[] values;
        using (var d = targets.to(ScalarType.Float64)) values = d.reshape(-1).ToArray<double>();
        var previous = TryReadWeightsName(entry.PathOf(CheckpointFile));
        var c = new Checkpoint
        {
            Method = Method,
            Seed = seed,
            Labelled = labelled.Indices.ToArray(),
            LabelledRounds = labelled.Rounds.ToArray(),
            TargetShape = targets.shape,
            TargetType = targets.dtype.ToString(),
            Targets = values,
            Rounds = rounds.Select(r => new CheckpointRound { Round = r.Round, Labels = r.Labels, Selected = r.Selected.ToArray(), Metrics = new(r.Metrics), Seconds = r.Elapsed.TotalSeconds }).ToList(),
            Weights = weightsName,
        };
        entry.WriteText(CheckpointFile, c.Serialize());
        if (round == 0 || !File.Exists(entry.PathOf(ResultCache.KeyFile))) entry.Commit();
        if (previous is not null && previous != weightsName)
        {
            var old = entry.PathOf(previous);
            if (File.Exists(old)) File.Delete(old);
        }
    }

    /// <summary>The checkpoint document in a run's cache entry.</summary>
    public const string CheckpointFile = "checkpoint.json";

    private static string? TryReadWeightsName(string path)
    {
        if (!File.Exists(path)) return null;
        try { return Checkpoint.Read(path).Weights; }
        catch (Exception e) when (e is InvalidDataException or IOException) { return null; }
    }

    /// <summary>
    /// Restores the finished rounds and the last model from the run's entry, or starts over: with
    /// <c>Retrain</c>, and (saying why on the cache's log) when the entry was made with another key (engine)
    /// or cannot be read. Returns the restored model, or null when starting over.
    /// </summary>
    private IActiveModel? Resume(CacheEntry entry, long seed, LabelledSet labelled, List<RoundResult> rounds)
    {
        var cache = Options.Checkpoints!;
        string? problem = cache.Retrain ? null : entry.Problem;
        if (!cache.Retrain && entry.IsValid)
        {
            (Checkpoint, Dictionary<string, Tensor>)? read = null;
            try
            {
                read = Read(entry);
            }
            catch (Exception e) when (IsCheckpointProblem(e))
            {
                problem = $"the checkpoint in {entry.Folder} could not be resumed ({e.Message})";
            }
            if (read is var (c, state))
            {
                try
                {
                    // Outside the handler below: a model factory that fails says nothing about the checkpoint, which stays.
                    var model = NewModel(seed, c.Rounds[^1].Round);
                    try
                    {
                        model.LoadStateDict(state);
                        Apply(c, seed, labelled, rounds);
                        return model;
                    }
                    catch (Exception e) when (IsCheckpointProblem(e))
                    {
                        model.Dispose();
                        problem = $"the checkpoint in {entry.Folder} could not be resumed ({e.Message})";
                    }
                    catch
                    {
                        model.Dispose();
                        throw;
                    }
                }
                finally
                {
                    foreach (var t in state.Values) t.Dispose();
                }
            }
        }
        if (problem is not null) entry.Report($"starting {entry.Key.Name} over: {problem}.");
        entry.Delete();
        return null;
    }

    private static bool IsCheckpointProblem(Exception e) =>
        e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or ExternalException;

    private static (Checkpoint, Dictionary<string, Tensor>) Read(CacheEntry entry)
    {
        var path = entry.PathOf(CheckpointFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{CheckpointFile} is missing");
        var c = Checkpoint.Read(path);
        if (c.Rounds.Count == 0) throw new InvalidDataException($"{path} holds no finished round.");
        if (!Enum.TryParse<ScalarType>(c.TargetType, out _)) throw new InvalidDataException($"Unknown target type \"{c.TargetType}\" in {path}.");
        if (c.Labelled.Length != c.LabelledRounds.Length || c.Targets.Length == 0 && c.Labelled.Length > 0)
            throw new InvalidDataException($"{path} is inconsistent (labelled points, rounds and targets differ in number).");
        var weights = entry.PathOf(c.Weights);
        if (!File.Exists(weights)) throw new InvalidDataException($"the model file {weights} it refers to is missing");
        return (c, Safetensors.Load(weights));
    }

    private static void Apply(Checkpoint c, long seed, LabelledSet labelled, List<RoundResult> rounds)
    {
        var dtype = Enum.Parse<ScalarType>(c.TargetType);
        using (var scope = NewDisposeScope())
        {
            var all = tensor(c.Targets).reshape(c.TargetShape).to(dtype);
            foreach (var group in c.Labelled.Select((idx, i) => (idx, i, round: c.LabelledRounds[i])).GroupBy(t => t.round))
            {
                var positions = group.Select(g => (long)g.i).ToArray();
                labelled.Add(group.Select(g => g.idx).ToList(), all.index_select(0, tensor(positions)), group.Key);
            }
        }
        foreach (var r in c.Rounds)
            rounds.Add(new RoundResult(c.Method, seed, r.Round, r.Labels, r.Selected, r.Metrics, TimeSpan.FromSeconds(r.Seconds), true));
    }
}
