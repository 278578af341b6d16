using FisherKit.Models;
using FisherKit.Simulators.Mammography;
using FisherKit.Training;

namespace FisherKit.Tests.Simulators.Mammography;

public class IqaTrainingTests
{
    [Fact]
    public void The_VGG_regression_net_maps_an_image_to_twelve_outputs_and_rejects_bad_specs()
    {
        manual_seed(1);
        var net = new VggRegressionNet { Blocks = [[4], [8]], Hidden = 16 }.Build();
        using var y = net.call(randn(3, 1, 20, 36));
        Assert.Equal(new long[] { 3, 12 }, y.shape);
        Assert.Contains(net.named_parameters(), p => p.name == "features.1.weight");   // batch norm after the first convolution
        Assert.Throws<ArgumentException>(() => new VggRegressionNet { Blocks = [[4], []] }.Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new VggRegressionNet { Outputs = 0 }.Build());
    }

    [Fact]
    public void The_log_ratio_loss_is_the_mean_squared_log_ratio()
    {
        var output = tensor(new[,] { { Math.Log(2.0), 0.0 }, { Math.Log(0.5), Math.Log(3.0) } }, dtype: float64);
        var targets = tensor(new[,] { { 1.0, 1.0 }, { 1.0, 1.5 } }, dtype: float64);
        var batch = new TrainingBatch(output, targets);
        var loss = new LogRatioLoss().Compute(output, batch, false).Minimised.item<double>();
        double expected = (Math.Pow(Math.Log(2), 2) + 0 + Math.Pow(Math.Log(0.5), 2) + Math.Pow(Math.Log(2), 2)) / 4;
        Assert.Equal(expected, loss, 12);
        var model = nn.Linear(2, 2);
        Assert.Throws<ArgumentException>(() => new LogRatioLoss().Check(model, output, new TrainingBatch(output, -targets)));
    }

    [Fact]
    public void A_curriculum_trains_stage_after_stage_and_joins_the_curves()
    {
        manual_seed(2);
        var x = randn(64, 3);
        var y = (x.matmul(tensor(new float[] { 0.3f, -0.2f, 0.1f })).unsqueeze(1)).exp();   // positive targets
        var model = nn.Sequential(nn.Linear(3, 1));
        var order = new Generator(5);
        var stages = new List<BatchSource> { new TensorBatches(x[..16], y[..16], 8, order), new TensorBatches(x, y, 8, order) };
        var history = CurriculumTraining.Run(model, new LogRatioLoss(), stages, new TrainingOptions { Epochs = 3, LearningRate = 0.05 });
        Assert.Equal(6, history.EpochEnds.Count);
        Assert.Equal(Enumerable.Range(1, 6), history.EpochEnds.Select(r => r.Epoch));
        Assert.Equal(2 * 3 + 8 * 3, history.Steps);
        Assert.True(history.EpochEnds[^1].EpochTrainLoss < history.EpochEnds[0].EpochTrainLoss);
    }

    [Fact]
    public void Training_sets_carry_the_ideal_observers_curve_as_labels()
    {
        var devices = VirtualDevices.Sample(2, seed: 3);
        var layout = CdmamLayout.Grid([0.1, 0.2], [0.1, 0.4]);
        var (inputs, targets, device) = CdmamIqa.TrainingSet(devices, 2, layout, 8, 8, seed: 1);
        Assert.Equal(new long[] { 4, 1, 8, 8 }, inputs.shape);
        Assert.Equal(new long[] { 4, 12 }, targets.shape);
        Assert.Equal(new long[] { 0, 0, 1, 1 }, device);
        var truth = CdmamIqa.GroundTruth(devices[1]);
        Assert.Equal(truth[0], targets[2, 0].item<float>(), 4);
        Assert.True(truth.Zip(truth.Skip(1)).All(p => p.First > p.Second), "thresholds fall with the diameter");
        Assert.Throws<ArgumentOutOfRangeException>(() => VirtualDevices.Sample(2, 1, difficulty: 0));
    }
}
