using FisherKit.Metrics.Regression;
using FisherKit.Pictures;
using FisherKit.Simulators;
using FisherKit.Uncertainty;
using FisherKit.Models;
using FisherKit.Training;

namespace FisherKit.Tests.Uncertainty;

/// <summary>The calls the optical-form notebook makes, in order, on a tiny case.</summary>
public class WalkthroughTests
{
    [Fact]
    public void The_optical_form_workflow_runs_end_to_end_on_a_tiny_case()
    {
        using var scope = NewDisposeScope();
        using var sim = new TwiSimulator(new TwiOptions { GridSize = 16, MaxRadialOrder = 3, NoiseSigma = 5 });
        using var train = sim.Sample(32, seed: 1);
        using var test = sim.Sample(8, seed: 2);
        using var ood = sim.Sample(8, seed: 2, new OodOptions { Bumps = 1, BumpHeight = 60 });
        double scale = sim.HeightScale;
        var data = new RegressionData(train.Inputs(scale), train.Targets(scale), sim.Grid.Mask);

        var options = new EnsembleOptions(4, new UNetOptions(sim.Channels, Depth: 2, BaseWidth: 4, Head: RegressionHead.Gaussian),
                                          new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 1e-2, WarmupEpochs = 1, Schedule = LearningRateSchedule.Cosine });
        var curves = new List<(int member, int epoch, double train)>();
        using var ensemble = DeepEnsemble.Train(options, data, progress: new ProgressCallback<TrainingProgress>(p =>
        {
            if (p.Event == TrainingEvent.EpochEnd) curves.Add((p.Member, p.Epoch, p.Record!.EpochTrainLoss!.Value));
        }));
        Assert.Equal(8, curves.Count);

        var plain = ensemble.Predict(test.Inputs(scale)).Scaled(scale);
        var corrected = ensemble.Predict(test.Inputs(scale), EnsembleCorrection.FiniteEnsemble).Scaled(scale);
        var exact = sim.Posterior.Estimate(test.Measurement);
        var classical = sim.Posterior.LeastSquares(test.Measurement);
        var mask = sim.Grid.Mask;

        var rPlain = RegressionMetrics.Evaluate(test.Deviation, plain.Mean.to(float64), plain.Std().to(float64), mask);
        var rCorr = RegressionMetrics.Evaluate(test.Deviation, corrected.Mean.to(float64), corrected.Std().to(float64), mask);
        var rExact = RegressionMetrics.Evaluate(test.Deviation, exact.Mean, exact.Std, mask);
        Assert.True(rCorr.RmsUncertainty > rPlain.RmsUncertainty, "the correction enlarges the uncertainty");
        Assert.True(rExact.Rmse < rPlain.Rmse, "the exact posterior is the better reference after two epochs");
        Assert.True(RegressionMetrics.Rmse(test.Deviation, classical.Mean, mask) < 10);

        var oodPred = ensemble.Predict(ood.Inputs(scale)).Scaled(scale);
        var contrast = RegionContrast.Of(oodPred.Std(), ood.Defects.abs() > 10, mask);
        Assert.True(contrast.InsideCount > 0 && double.IsFinite(contrast.Ratio));

        var statement = GumStatement.WithCoverageFactor(plain.Mean[0, 0, 8, 8].ToDouble(), plain.Std()[0, 0, 8, 8].ToDouble(), 2, unit: "nm");
        Assert.Contains("k = 2.00", statement.ToString());
        var map = Picture.ToMatrix(plain.Std()[0, 0], mask);
        Assert.Equal(16, map.GetLength(0));
    }
}

[Collection(LeakChecks.Name)] // runs alone: reads the process-wide live-tensor count
public class LeakTests
{
    private const int Members = 2;
    private static readonly FisherKit.Simulators.TwiOptions Twi = new() { GridSize = 16, MaxRadialOrder = 3 };

    private static UNetOptions Network(int channels) => new(channels, Depth: 2, BaseWidth: 4, Head: RegressionHead.Gaussian, Dropout: 0.1);

    [Fact]
    public void Simulation_training_and_prediction_leave_no_tensor_behind()
    {
        // Warm up once (lazy statics), then count live native tensors around a full cycle. No GC is
        // forced: the finalizer backstop must not be what frees them. What TorchSharp's own
        // construction of the cycle's U-Nets leaves in the count is measured first and allowed for.
        Cycle();
        int channels;
        using (var sim = new FisherKit.Simulators.TwiSimulator(Twi)) channels = sim.Channels;
        var (phantoms, temporaries) = LeakChecks.ModuleConstruction(() =>
        {
            for (int m = 0; m < Members; m++)
                using (new UNet(Network(channels))) { }
        });
        long before = LeakChecks.SettledCount();
        Cycle();
        Assert.InRange(Tensor.TotalCount - before, phantoms, phantoms + temporaries);
        Assert.Equal(before + phantoms, LeakChecks.SettledCount());
    }

    private static void Cycle()
    {
        using var sim = new FisherKit.Simulators.TwiSimulator(Twi);
        using var batch = sim.Sample(8, seed: 1, new FisherKit.Simulators.OodOptions { Bumps = 1, MisalignedSource = 1 });
        using var x = batch.Inputs(sim.HeightScale);
        using var y = batch.Targets(sim.HeightScale);
        var data = new RegressionData(x, y, sim.Grid.Mask);
        var options = new EnsembleOptions(Members, Network(sim.Channels), new TrainingOptions { Epochs = 1, BatchSize = 4, Schedule = LearningRateSchedule.Cosine });
        using var ens = DeepEnsemble.Train(options, data, data);
        ens.FitLocalPosterior(data);
        using (var p = ens.Predict(x, EnsembleCorrection.LocalPosterior)) { }
        using (var m = McDropout.Predict(ens.Members[0], x, passes: 3)) { }
        using (var e = sim.Posterior.Estimate(batch.Measurement)) { }
        using (var l = sim.Posterior.LeastSquares(batch.Measurement)) { }
        using (var nl = sim.Forward.ApplyNonlinear(batch.Deviation)) { }
    }
}
