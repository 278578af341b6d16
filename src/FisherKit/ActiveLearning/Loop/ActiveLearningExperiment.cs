using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>
/// Several methods compared over several seeds with the same loop settings. The pool may depend on the
/// seed (Wu et al. draw a random 80% of the data per repeat). With a <see cref="ResultCache"/> for
/// checkpoints, each (method, seed) run is checkpointed in its own entry and resumed from it, so an
/// interrupted experiment continues where it stopped. Tensors that <c>poolForSeed</c> creates are disposed after that seed's runs.
/// </summary>
public sealed class ActiveLearningExperiment
{
    private readonly Func<long, PoolData> _poolForSeed;

    /// <summary>Creates the experiment with a pool per seed and shared loop settings (their Method, Initial, Checkpoints and CheckpointKey are set per run).</summary>
    public ActiveLearningExperiment(Func<long, PoolData> poolForSeed, LoopOptions options)
    {
        _poolForSeed = poolForSeed ?? throw new ArgumentNullException(nameof(poolForSeed));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
    }

    /// <summary>Creates the experiment on one fixed pool.</summary>
    public ActiveLearningExperiment(PoolData pool, LoopOptions options) : this(_ => pool, options)
    {
        ArgumentNullException.ThrowIfNull(pool);
    }

    /// <summary>The shared loop settings.</summary>
    public LoopOptions Options { get; }

    /// <summary>The methods, in order.</summary>
    public List<MethodSpec> Methods { get; } = [];

    /// <summary>Adds a method.</summary>
    public ActiveLearningExperiment Add(string name, IAcquisition acquisition, Func<long, Learners.IActiveModel> modelFactory, IAcquisition? initial = null)
    {
        if (Methods.Any(m => m.Name == name)) throw new ArgumentException($"A method named \"{name}\" was already added.", nameof(name));
        Methods.Add(new MethodSpec(name, acquisition, modelFactory, initial));
        return this;
    }

    /// <summary>
    /// Runs every method for every seed (seed-major order), streaming each finished round to
    /// <paramref name="progress"/>. With <paramref name="checkpoints"/>, every run is checkpointed there under
    /// <paramref name="key"/> (what identifies the experiment: its data, settings and model; the loop adds the
    /// method, the seed and its own settings, see <see cref="ActiveLearningLoop.CheckpointKey"/>).
    /// </summary>
    public ExperimentResults Run(IReadOnlyList<long> seeds, ResultCache? checkpoints = null, CacheKey? key = null, IProgress<RoundResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (Methods.Count == 0) throw new InvalidOperationException("Add at least one method before running.");
        var runs = new List<LoopRun>();
        foreach (var seed in seeds)
        {
            using var scope = NewDisposeScope();
            var pool = _poolForSeed(seed);
            foreach (var m in Methods)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var options = Options with
                {
                    Method = m.Name,
                    Initial = m.Initial ?? Options.Initial,
                    Checkpoints = checkpoints ?? Options.Checkpoints,
                    CheckpointKey = key ?? Options.CheckpointKey,
                };
                var loop = new ActiveLearningLoop(pool, m.ModelFactory, m.Acquisition, options);
                runs.Add(loop.Run(seed, progress, cancellationToken));
            }
        }
        return new ExperimentResults(runs);
    }
}
