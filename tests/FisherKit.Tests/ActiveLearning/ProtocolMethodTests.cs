using FisherKit.Training;
using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Experiments;
using FisherKit.ActiveLearning.Learners;
using FisherKit.ActiveLearning.Loop;

namespace FisherKit.Tests.ActiveLearning;

/// <summary>The protocols list their methods as objects (name, acquisition, family, model, initial strategy), and run exactly those.</summary>
public sealed class ProtocolMethodTests
{
    private const AcquisitionFamily R = AcquisitionFamily.Random, U = AcquisitionFamily.Uncertainty, D = AcquisitionFamily.Diversity, F = AcquisitionFamily.FisherDesign;

    private static void AssertWellFormed(IReadOnlyList<MethodSpec> methods)
    {
        Assert.Equal(methods.Count, methods.Select(m => m.Name).Distinct().Count());
        Assert.All(methods, m => Assert.Equal(m.Acquisition.Family, m.Family));
        Assert.All(methods, m => Assert.NotNull(m.ModelFactory));
    }

    [Fact]
    public void Gal_et_al_lists_every_classification_acquisition_in_run_order()
    {
        var methods = GalProtocol.Methods(GalProtocolSettings.Quick);
        AssertWellFormed(methods);
        Assert.Equal(
            ["Random", "Max entropy", "BALD", "Variation ratios", "Mean STD", "Ensemble variance", "Core-set (k-centre)",
             "D-optimal (last layer)", "A-optimal (last layer)", "E-optimal (last layer)", "BAIT (last layer)"],
            methods.Select(m => m.Name));
        Assert.Equal([R, U, U, U, U, U, D, F, F, F, F], methods.Select(m => m.Family));
        Assert.All(methods, m => Assert.Null(m.Initial));   // all share the balanced initial set
        // The names are the acquisitions' display names but for the core-set.
        Assert.Equal(["Core-set (k-centre)"], methods.Where(m => m.Name != m.Acquisition.Name).Select(m => m.Name));
        // Only ensemble variance trains an ensemble.
        using var ensemble = methods.Single(m => m.Name == "Ensemble variance").ModelFactory(0);
        Assert.IsType<EnsembleModel>(ensemble);
    }

    [Fact]
    public void A_protocol_runs_the_methods_its_settings_name_in_their_order_and_refuses_unknown_ones()
    {
        var settings = GalProtocolSettings.Quick with { Methods = ["BAIT (last layer)", "Random"] };
        Assert.Equal(["BAIT (last layer)", "Random"], GalProtocol.Methods(settings).Select(m => m.Name));
        var e = Assert.Throws<ArgumentException>(() => GalProtocol.Methods(settings with { Methods = ["BALD", "Coreset"] }));
        Assert.Contains("Unknown method \"Coreset\"; known: Random, Max entropy, BALD", e.Message);
        Assert.Equal("settings", e.ParamName);
        Assert.Throws<ArgumentException>(() => SimulatedMeasurement.Methods(SimulatedMeasurementSettings.Quick with { Methods = ["GSx", "GSx"] }));
    }

    [Fact]
    public void A_method_list_round_trips_through_its_names()
    {
        // The names a protocol lists, given back as its settings' Methods (here reversed), choose the same methods.
        var gal = GalProtocol.Methods(GalProtocolSettings.Quick with { Methods = null });
        var galBack = GalProtocol.Methods(GalProtocolSettings.Quick with { Methods = gal.Select(m => m.Name).Reverse().ToList() });
        Assert.Equal(gal.Reverse().Select(m => (m.Name, m.Family, m.Acquisition.Name)), galBack.Select(m => (m.Name, m.Family, m.Acquisition.Name)));
        var sim = SimulatedMeasurement.Methods(SimulatedMeasurementSettings.Quick with { Methods = null });
        var simBack = SimulatedMeasurement.Methods(SimulatedMeasurementSettings.Quick with { Methods = sim.Select(m => m.Name).ToList() });
        Assert.Equal(sim.Select(m => (m.Name, m.Family, m.Acquisition.Name, m.Initial?.Name)), simBack.Select(m => (m.Name, m.Family, m.Acquisition.Name, m.Initial?.Name)));
    }

    [Fact]
    public void Wu_et_al_lists_the_random_baseline_the_greedy_rules_and_optionally_the_Fisher_designs()
    {
        var methods = WuProtocol.Methods(WuProtocolSettings.Quick, features: 8);
        AssertWellFormed(methods);
        Assert.Equal(["Random (BL)", "GSx", "GSy", "iGS", "D-optimal (Fisher)", "A-optimal (Fisher)", "E-optimal (Fisher)", "BAIT (Fisher)"], methods.Select(m => m.Name));
        Assert.Equal([R, D, D, D, F, F, F, F], methods.Select(m => m.Family));
        // Only the baseline has its own (random) initial set; the others share the protocol's GSx start.
        Assert.Equal(R, methods[0].Initial!.Family);
        Assert.All(methods.Skip(1), m => Assert.Null(m.Initial));
        using var ridge = methods[0].ModelFactory(0);
        Assert.Equal(8, Assert.IsType<RidgeRegression>(ridge).Features);
        Assert.Equal(["Random (BL)", "GSx", "GSy", "iGS"], WuProtocol.Methods(WuProtocolSettings.Quick with { IncludeFisher = false }, 8).Select(m => m.Name));
    }

    [Fact]
    public void The_simulated_measurement_lists_its_acquisitions_then_the_initial_set_variants()
    {
        var methods = SimulatedMeasurement.Methods(SimulatedMeasurementSettings.Quick);
        AssertWellFormed(methods);
        Assert.Equal(
            ["Random", "Mean STD (MC dropout)", "Ensemble variance", "GSx", "iGS",
             "D-optimal (last layer)", "D-optimal (random subspace)", "D-optimal (Fisher eigenvectors)",
             "A-optimal (last layer)", "E-optimal (last layer)", "BAIT (last layer)",
             "D-optimal | init GSx", "D-optimal | init k-centre", "D-optimal | init Fisher D-optimal"],
            methods.Select(m => m.Name));
        Assert.Equal([R, U, U, D, D, F, F, F, F, F, F, F, F, F], methods.Select(m => m.Family));
        Assert.Equal([D, D, F], methods.Where(m => m.Initial is not null).Select(m => m.Initial!.Family));
        Assert.All(methods.Where(m => m.Name.StartsWith("D-optimal", StringComparison.Ordinal)),
            m => Assert.Equal(DesignCriterion.DOptimal, Assert.IsType<OptimalDesignAcquisition>(m.Acquisition).Criterion));
    }

    [Fact]
    public void The_simulated_measurement_runs_exactly_the_methods_it_lists()
    {
        var settings = SimulatedMeasurementSettings.Quick with
        {
            PoolSize = 60, TestSize = 40, InitialSize = 6, BatchSize = 6, Budget = 12, Hidden = 8,
            Methods = ["GSx", "Random", "D-optimal | init GSx"],
            Training = new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 3e-3 },
        };
        var results = SimulatedMeasurement.Run(settings);
        Assert.Equal(SimulatedMeasurement.Methods(settings).Select(m => m.Name), results.Runs.Select(r => r.Method));
        Assert.All(results.Runs, r => Assert.Equal([6, 12], r.Rounds.Select(x => x.Labels)));
    }
}
