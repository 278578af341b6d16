using FisherKit.Plotting.Output;
using System.Diagnostics;
using System.Globalization;
using FisherKit.ActiveLearning.Acquisitions;
using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Files;
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
/// With a checkpoint path, the labelled set, the results and the model's tensors are written after
/// every finished round (temporary files, then rename); a later call with the same settings resumes after
/// the last finished round and ends with exactly the result of an uninterrupted run.
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
        var fingerprint = Fingerprint(seed);
        try
        {
            if (Options.CheckpointPath is { } path && File.Exists(path))
            {
                model = Restore(path, fingerprint, seed, labelled, rounds);
                resumed = rounds.Count;
                foreach (var r in rounds) progress?.Report(r);
            }
            if (rounds.Count == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sw = Stopwatch.StartNew();
                model = _modelFactory(SeedSequence.Derive(seed, 0, SeedSequence.Purpose.Model));
                var all = Enumerable.Range(0, checked((int)_pool.Count)).Select(i => (long)i).ToArray();
                var ctx = new AcquisitionContext(_pool, labelled, all, model, SeedSequence.Derive(seed, 0, SeedSequence.Purpose.Initial), 0);
                var picks = Checked(Options.Initial, ctx, Options.Initial.Select(ctx, Math.Min(Options.InitialSize, all.Length)), Math.Min(Options.InitialSize, all.Length));
                Label(labelled, picks, 0);
                Train(model, labelled, SeedSequence.Derive(seed, 0, SeedSequence.Purpose.Fit));
                Finish(model, labelled, rounds, seed, 0, picks, sw, fingerprint, progress);
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
                    model = _modelFactory(SeedSequence.Derive(seed, round, SeedSequence.Purpose.Model));
                }
                Train(model!, labelled, SeedSequence.Derive(seed, round, SeedSequence.Purpose.Fit));
                Finish(model!, labelled, rounds, seed, round, picks, sw, fingerprint, progress);
            }
        }
        finally
        {
            model?.Dispose();
        }
        return new LoopRun(Method, seed, rounds, labelled.Indices.ToList(), labelled.Rounds.ToList(), resumed);
    }

    private string Fingerprint(long seed) => string.Join("|",
        Method, _acquisition.Name, Options.Initial.Name, Options.InitialSize, Options.BatchSize, Options.Budget,
        Options.CandidateSubset?.ToString(CultureInfo.InvariantCulture) ?? "all", Options.WarmStart, _pool.Count, _pool.Task,
        seed.ToString(CultureInfo.InvariantCulture), string.Join(",", Options.Metrics.Select(m => m.Name)));

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
        labelled.Add(picks, targets, round);
    }

    private void Train(IActiveModel model, LabelledSet labelled, long seed)
    {
        using var scope = NewDisposeScope();
        var x = _pool.InputsAt(labelled.Indices);
        model.Fit(x, labelled.Targets!, seed);
    }

    private void Finish(IActiveModel model, LabelledSet labelled, List<RoundResult> rounds, long seed, int round, IReadOnlyList<long> picks,
        Stopwatch sw, string fingerprint, IProgress<RoundResult>? progress)
    {
        var metrics = new Dictionary<string, double>();
        using (var mc = new MetricContext(model, _pool, labelled))
            foreach (var m in Options.Metrics)
                metrics[m.Name] = m.Evaluate(mc);
        var result = new RoundResult(Method, seed, round, labelled.Count, picks.ToList(), metrics, sw.Elapsed, false);
        rounds.Add(result);
        if (Options.CheckpointPath is { } path) Save(path, fingerprint, seed, model, labelled, rounds);
        progress?.Report(result);
    }

    private void Save(string path, string fingerprint, long seed, IActiveModel model, LabelledSet labelled, List<RoundResult> rounds)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var round = rounds[^1].Round;
        var weightsName = $"{Path.GetFileNameWithoutExtension(full)}.round{round}.safetensors";
        var state = model.StateDict();
        try { Safetensors.Save(Path.Combine(dir, weightsName), state, new Dictionary<string, string> { ["fingerprint"] = fingerprint }); }
        finally { foreach (var t in state.Values) t.Dispose(); }
        var targets = labelled.Targets!;
        double[] values;
        using (var d = targets.to(ScalarType.Float64)) values = d.reshape(-1).ToArray<double>();
        var previous = File.Exists(full) ? TryReadWeightsName(full) : null;
        var c = new Checkpoint
        {
            Fingerprint = fingerprint,
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
        AtomicFile.WriteAllText(full, c.Serialize());
        if (previous is not null && previous != weightsName)
        {
            var old = Path.Combine(dir, previous);
            if (File.Exists(old)) File.Delete(old);
        }
    }

    private static string? TryReadWeightsName(string path)
    {
        try { return Checkpoint.Read(path).Weights; }
        catch (InvalidDataException) { return null; }
    }

    private IActiveModel Restore(string path, string fingerprint, long seed, LabelledSet labelled, List<RoundResult> rounds)
    {
        var c = Checkpoint.Read(path);
        if (c.Fingerprint != fingerprint)
            throw new InvalidOperationException($"The checkpoint {path} belongs to other settings (\"{c.Fingerprint}\"), not to this run (\"{fingerprint}\"). Delete it or choose another checkpoint path.");
        if (c.Rounds.Count == 0) throw new InvalidDataException($"The checkpoint {path} holds no finished round.");
        if (!Enum.TryParse<ScalarType>(c.TargetType, out var dtype)) throw new InvalidDataException($"Unknown target type \"{c.TargetType}\" in {path}.");
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
        var weights = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, c.Weights);
        if (!File.Exists(weights)) throw new FileNotFoundException($"The checkpoint {path} refers to the model file {weights}, which is missing.", weights);
        var last = c.Rounds[^1].Round;
        var model = _modelFactory(SeedSequence.Derive(seed, last, SeedSequence.Purpose.Model));
        var state = Safetensors.Load(weights);
        try { model.LoadStateDict(state); }
        catch { model.Dispose(); throw; }
        finally { foreach (var t in state.Values) t.Dispose(); }
        return model;
    }
}
