using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Learners;
using FisherKit.ActiveLearning.Loop;

namespace FisherKit.Tests.ActiveLearning;

/// <summary>
/// Every acquisition declares its display name and family, and the argument checks of the shared base
/// (<see cref="Acquisition"/>) give the same errors for all of them.
/// </summary>
public sealed class AcquisitionTests
{
    /// <summary>An acquisition as the tests know it: how to make it, what it declares, the one task it is defined for (null: both) and the model interface it asks for.</summary>
    public sealed record Case(string Key, Func<Acquisition> Create, string Name, AcquisitionFamily Family, TaskKind? OnlyFor = null, Type? Needs = null)
    {
        public override string ToString() => Key;
    }

    private static readonly Case[] Cases =
    [
        new("random", () => new RandomAcquisition(), "Random", AcquisitionFamily.Random),
        new("balanced random", () => new BalancedRandom(), "Balanced random", AcquisitionFamily.Random, TaskKind.Classification),
        new("max entropy", () => new MaxEntropy(2), "Max entropy", AcquisitionFamily.Uncertainty, TaskKind.Classification, typeof(IPosteriorSampler)),
        new("BALD", () => new Bald(2), "BALD", AcquisitionFamily.Uncertainty, TaskKind.Classification, typeof(IPosteriorSampler)),
        new("variation ratios", () => new VariationRatios(2), "Variation ratios", AcquisitionFamily.Uncertainty, TaskKind.Classification, typeof(IPosteriorSampler)),
        new("mean STD", () => new MeanStd(2), "Mean STD", AcquisitionFamily.Uncertainty, Needs: typeof(IPosteriorSampler)),
        new("ensemble variance", () => new EnsembleVariance(2), "Ensemble variance", AcquisitionFamily.Uncertainty, Needs: typeof(IPosteriorSampler)),
        new("GSx", () => new GreedySampling(GreedySamplingKind.GSx), "GSx", AcquisitionFamily.Diversity),
        new("GSy", () => new GreedySampling(GreedySamplingKind.GSy), "GSy", AcquisitionFamily.Diversity, TaskKind.Regression),
        new("iGS", () => new GreedySampling(GreedySamplingKind.IGS, GSxStart.SmallestMeanDistance), "iGS", AcquisitionFamily.Diversity, TaskKind.Regression),
        new("k-centre", () => new KCenterGreedy(), "k-centre greedy", AcquisitionFamily.Diversity),
        new("core-set", () => new KCenterGreedy(FeatureSpace.Penultimate), "k-centre greedy (penultimate)", AcquisitionFamily.Diversity, Needs: typeof(IFisherModel)),
        new("D-optimal", () => new OptimalDesignAcquisition(DesignCriterion.DOptimal), "D-optimal (last layer)", AcquisitionFamily.FisherDesign, Needs: typeof(IFisherModel)),
        new("A-optimal", () => new OptimalDesignAcquisition(DesignCriterion.AOptimal, priorPrecision: 0.1), "A-optimal (last layer)", AcquisitionFamily.FisherDesign, Needs: typeof(IFisherModel)),
        new("E-optimal", () => new OptimalDesignAcquisition(DesignCriterion.EOptimal), "E-optimal (last layer)", AcquisitionFamily.FisherDesign, Needs: typeof(IFisherModel)),
        new("D-optimal, subspace", () => new OptimalDesignAcquisition(DesignCriterion.DOptimal, FisherProjection.RandomSubspace(3)), "D-optimal (random subspace (r=3, per run))",
            AcquisitionFamily.FisherDesign, Needs: typeof(IFisherModel)),
        new("BAIT", () => new BaitAcquisition(), "BAIT (last layer)", AcquisitionFamily.FisherDesign, Needs: typeof(IFisherModel)),
    ];

    public static TheoryData<Case> Every => new(Cases);

    public static TheoryData<Case> NeedingAModel => new(Cases.Where(c => c.Needs is not null));

    // ---- a small pool of each task: column 0 of the inputs is the point's id (see LookupModel) ----

    private const int N = 12;

    private static PoolData Pool(TaskKind task)
    {
        var rng = new Random(7);
        var features = Enumerable.Range(0, N).Select(_ => new[] { rng.NextDouble(), rng.NextDouble() }).ToArray();
        return task == TaskKind.Classification
            ? Pools.WithIds(features, Enumerable.Range(0, N).Select(i => (double)(i % 3)).ToArray(), TaskKind.Classification, 3)
            : Pools.WithIds(features, Enumerable.Range(0, N).Select(i => 0.1 * i).ToArray());
    }

    /// <summary>Predictions and 2 posterior samples per point: class probabilities, or one regression output.</summary>
    private static LookupModel Lookup(TaskKind task)
    {
        double[] Row(int i, int t) => task == TaskKind.Classification
            ? [0.2 + 0.05 * ((i + t) % 4), 0.3, 0.5 - 0.05 * ((i + t) % 4)]
            : [0.1 * i + 0.02 * t * (i % 3)];
        return new LookupModel(task, Enumerable.Range(0, N).Select(i => Row(i, 0)).ToArray(),
            Enumerable.Range(0, 2).Select(t => Enumerable.Range(0, N).Select(i => Row(i, t)).ToArray()).ToArray());
    }

    /// <summary>A model of the kind the case asks for: ridge regression (an <see cref="IFisherModel"/>) or a lookup model (an <see cref="IPosteriorSampler"/>).</summary>
    private static IActiveModel ModelFor(Case c, TaskKind task) =>
        c.Needs == typeof(IFisherModel) || (c.Needs is null && task == TaskKind.Regression) ? new RidgeRegression(3) : Lookup(task);

    /// <summary>A labelled set of three points (ids 0, 1, 2: one of each class) with their targets; 3 of each class stay candidates.</summary>
    private static LabelledSet ThreeLabelled(PoolData pool)
    {
        var labelled = new LabelledSet(pool.Count);
        using var y = TensorUtil.Rows(pool.Targets!, [0, 1, 2]);
        labelled.Add([0, 1, 2], y, 0);
        return labelled;
    }

    private static TaskKind TaskFor(Case c) => c.OnlyFor ?? TaskKind.Regression;

    /// <summary>A context whose candidates are all the unlabelled points.</summary>
    private static AcquisitionContext Unlabelled(PoolData pool, LabelledSet labelled, IActiveModel? model, long seed) =>
        new(pool, labelled, labelled.Unlabelled(), model, seed);

    // ---- what each acquisition declares ----

    [Theory]
    [MemberData(nameof(Every))]
    public void Each_acquisition_declares_its_display_name_and_family(Case c)
    {
        var a = c.Create();
        Assert.Equal(c.Name, a.Name);
        Assert.Equal(c.Family, a.Family);
        Assert.Equal(c.OnlyFor is null || c.OnlyFor == TaskKind.Regression, a.Supports(TaskKind.Regression));
        Assert.Equal(c.OnlyFor is null || c.OnlyFor == TaskKind.Classification, a.Supports(TaskKind.Classification));
    }

    [Fact]
    public void Every_acquisition_of_FisherKit_derives_from_the_shared_base_and_is_known_to_these_tests()
    {
        var concrete = typeof(IAcquisition).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IAcquisition).IsAssignableFrom(t)).ToList();
        Assert.NotEmpty(concrete);
        Assert.All(concrete, t => Assert.True(t.IsSubclassOf(typeof(Acquisition)), $"{t.Name} does not derive from Acquisition"));
        Assert.Empty(concrete.Except(Cases.Select(c => c.Create().GetType())));
    }

    [Fact]
    public void An_initial_strategy_belongs_to_the_family_of_its_rule()
    {
        Assert.Equal(AcquisitionFamily.Random, InitialStrategies.Random().Family);
        Assert.Equal(AcquisitionFamily.Random, InitialStrategies.BalancedRandom().Family);
        Assert.Equal(AcquisitionFamily.Diversity, InitialStrategies.GSx().Family);
        Assert.Equal(AcquisitionFamily.Diversity, InitialStrategies.KCenterGreedy().Family);
        Assert.Equal(AcquisitionFamily.FisherDesign, InitialStrategies.FisherDOptimal().Family);
    }

    [Fact]
    public void A_method_takes_its_family_from_its_acquisition_and_its_name_from_it_unless_given()
    {
        var bald = new MethodSpec(new Bald(), _ => new RidgeRegression(1));
        Assert.Equal(("BALD", AcquisitionFamily.Uncertainty), (bald.Name, bald.Family));
        var coreSet = new MethodSpec(new KCenterGreedy(FeatureSpace.Penultimate), _ => new RidgeRegression(1), name: "Core-set (k-centre)");
        Assert.Equal(("Core-set (k-centre)", AcquisitionFamily.Diversity), (coreSet.Name, coreSet.Family));
    }

    // ---- the shared checks ----

    [Theory]
    [MemberData(nameof(Every))]
    public void A_missing_context_is_refused(Case c)
    {
        var e = Assert.Throws<ArgumentNullException>(() => c.Create().Select(null!, 1));
        Assert.Equal("context", e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void A_negative_count_is_refused_with_the_same_message(Case c)
    {
        var pool = Pool(TaskFor(c));
        using var labelled = new LabelledSet(N);
        var ctx = Unlabelled(pool, labelled, ModelFor(c, TaskFor(c)), 0);
        var a = c.Create();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => a.Select(ctx, -1));
        Assert.Equal("count", e.ParamName);
        Assert.Equal(-1, e.ActualValue);
        Assert.StartsWith($"{a.Name} was asked for a negative number of points.", e.Message);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void No_candidates_or_a_count_of_zero_give_an_empty_choice_without_asking_for_a_model(Case c)
    {
        var pool = Pool(TaskFor(c));
        using var labelled = ThreeLabelled(pool);
        var a = c.Create();
        Assert.Empty(a.Select(new AcquisitionContext(pool, labelled, [], null, 0), 5));
        Assert.Empty(a.Select(Unlabelled(pool, labelled, null, 0), 0));
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void A_task_outside_the_rule_is_refused_with_the_same_message_even_for_an_empty_choice(Case c)
    {
        if (c.OnlyFor is not { } only) return;
        var other = only == TaskKind.Regression ? TaskKind.Classification : TaskKind.Regression;
        var pool = Pool(other);
        using var labelled = new LabelledSet(N);
        var a = c.Create();
        foreach (var count in new[] { 0, 3 })
        {
            var e = Assert.Throws<NotSupportedException>(() => a.Select(Unlabelled(pool, labelled, Lookup(other), 0), count));
            Assert.StartsWith($"{a.Name} is not defined for {other.ToString().ToLowerInvariant()}: ", e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(NeedingAModel))]
    public void A_missing_model_or_one_of_the_wrong_kind_is_refused_with_the_same_message(Case c)
    {
        var task = TaskFor(c);
        var pool = Pool(task);
        using var labelled = ThreeLabelled(pool);
        var a = c.Create();
        var none = Assert.Throws<InvalidOperationException>(() => a.Select(Unlabelled(pool, labelled, null, 0), 2));
        Assert.Equal($"{a.Name} needs a model, and none was given.", none.Message);
        // A ridge model samples no posterior; a lookup model has no Fisher.
        using IActiveModel wrong = c.Needs == typeof(IFisherModel) ? Lookup(task) : new RidgeRegression(3);
        var kind = Assert.Throws<NotSupportedException>(() => a.Select(Unlabelled(pool, labelled, wrong, 0), 2));
        Assert.Equal($"{a.Name} needs a model that implements {c.Needs!.Name}; {wrong.GetType().Name} does not.", kind.Message);
    }

    [Theory]
    [InlineData(GreedySamplingKind.GSy)]
    [InlineData(GreedySamplingKind.IGS)]
    public void GSy_and_iGS_ask_for_a_model_once_points_are_labelled(GreedySamplingKind kind)
    {
        var pool = Pool(TaskKind.Regression);
        using var labelled = ThreeLabelled(pool);
        var rule = new GreedySampling(kind);
        Assert.Equal($"{rule.Name} needs a model, and none was given.",
            Assert.Throws<InvalidOperationException>(() => rule.Select(Unlabelled(pool, labelled, null, 0), 1)).Message);
    }

    [Fact]
    public void Wrong_settings_of_an_acquisition_are_refused_when_it_is_made_naming_the_setting()
    {
        void Refused(string parameter, string message, Func<Acquisition> create)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => create());
            Assert.Equal(parameter, e.ParamName);
            Assert.StartsWith(message, e.Message);
        }
        Refused("samples", "At least one posterior sample is needed.", () => new Bald(0));
        Refused("samples", "At least one posterior sample is needed.", () => new MeanStd(-1));
        Refused("priorPrecision", "The prior precision λ of a Fisher design must be positive.", () => new OptimalDesignAcquisition(DesignCriterion.DOptimal, priorPrecision: 0));
        Refused("priorPrecision", "The prior precision λ of a Fisher design must be positive.", () => new BaitAcquisition(lambda: double.NaN));
        Refused("oversample", "BAIT's forward selection takes oversample·B points", () => new BaitAcquisition(oversample: 0));
        Refused("eigenSubspace", "The Ritz subspace of the E criterion needs at least one dimension.", () => new OptimalDesignAcquisition(DesignCriterion.EOptimal, eigenSubspace: 0));
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Asked_for_more_than_there_are_candidates_an_acquisition_takes_each_candidate_once(Case c)
    {
        var pool = Pool(TaskFor(c));
        using var model = ModelFor(c, pool.Task);
        using var labelled = ThreeLabelled(pool);
        var picks = c.Create().Select(Unlabelled(pool, labelled, model, 3), 50);
        Assert.Equal(labelled.Unlabelled().Order(), picks.Order());
    }

    [Fact]
    public void Scores_of_no_candidates_are_empty_and_a_NaN_score_is_named_not_ranked_last()
    {
        var pool = Pool(TaskKind.Classification);
        using var labelled = ThreeLabelled(pool);
        using var model = Lookup(TaskKind.Classification);
        using var none = new Bald(samples: 2).Score(new AcquisitionContext(pool, labelled, [], model, 0));   // was "ArgumentException: tensors"
        Assert.Equal([0L], none.shape);
        // Point 7's probabilities are NaN (a diverged model): it used to rank last without a word.
        var rows = Enumerable.Range(0, N).Select(i => i == 7 ? new[] { double.NaN, double.NaN, double.NaN } : new[] { 0.2, 0.3, 0.5 }).ToArray();
        using var broken = new LookupModel(TaskKind.Classification, rows, [rows, rows]);
        var e = Assert.Throws<InvalidOperationException>(() => new MaxEntropy(samples: 2).Select(Unlabelled(pool, labelled, broken, 0), 2));
        Assert.Contains("candidate 7", e.Message);
    }
}
