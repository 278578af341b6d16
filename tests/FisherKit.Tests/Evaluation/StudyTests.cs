using FisherKit.Data;
using FisherKit.Detection;
using FisherKit.Metrics.Classification;
using FisherKit.Metrics.Detection;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Tests.Evaluation;

public class StudyTests
{
    [Fact]
    public void Noise_of_growing_strength_pushes_the_rank_curve_up()
    {
        using var model = TinyModels.TrainedMlp();
        var (x, y) = TinyModels.Data(120, seed: 21);
        using var clean = new ImageDataset(x, y, name: "synthetic");
        x.Dispose();
        y.Dispose();
        IDetectionScore[] scores = [new PredictiveEntropyScore(model), new EnergyScore(model)];
        var result = CorruptionStudy.Run(scores, clean, clean, CorruptionKind.GaussianNoise, [0.0, 0.3, 0.8], seed: 2, batchSize: 50);
        var curve = result.Curves["Predictive entropy"];
        Assert.Equal(3, curve.Points.Count);
        Assert.InRange(curve.Points[0].MeanRank, 0.45, 0.56);
        Assert.True(curve.Points[2].MeanRank > curve.Points[0].MeanRank + 0.2, string.Join(", ", curve.Points.Select(p => p.MeanRank)));
        // At strength 0 the corrupted set is the reference: AUROC exactly ½.
        Assert.Equal(0.5, DetectionMetrics.Auroc(result.Reference["Energy"], result.Corrupted["Energy"][0]), 12);
    }

    [Fact]
    public void Detection_tables_have_one_row_per_score()
    {
        using var model = TinyModels.TrainedMlp();
        var (x, _) = TinyModels.Data(60, seed: 22);
        using (x)
        {
            using var scope = NewDisposeScope();
            var noisy = (x + randn(x.shape) * 0.5).clamp(0, 1);
            var rows = DetectionEvaluation.Compare([new MaxSoftmaxScore(model), new EnergyScore(model)], x, noisy, resamples: 100);
            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.InRange(r.Auroc.Estimate, r.Auroc.Lower, r.Auroc.Upper));
            var table = rows.ToSummaryTable();
            Assert.Equal(["1 − max softmax", "Energy"], table["score"].Cast<string>());
            Assert.Contains("<td>1 − max softmax</td>", Formatter.ToDisplayString(table, MimeTypes.Html));
        }
    }

    [Fact]
    public void Classifier_accuracy_agrees_between_tensors_and_datasets()
    {
        using var model = TinyModels.TrainedMlp();
        var (x, y) = TinyModels.Data(90, seed: 23);
        using var ds = new ImageDataset(x, y);
        var a = ClassifierEvaluation.Accuracy(model, x, y, batchSize: 32);
        var b = ClassifierEvaluation.Accuracy(model, ds, batchSize: 40);
        x.Dispose();
        y.Dispose();
        Assert.Equal(a, b, 15);
        Assert.True(a > 0.9);
    }

    [Fact]
    public void Accuracy_refuses_non_finite_logits_impossible_labels_and_no_inputs()
    {
        // All-NaN logits made argmax say class 0 everywhere: accuracy 1.0 against labels 0.
        using var model = TinyModels.TrainedMlp();
        var (x, y) = TinyModels.Data(8, seed: 23);
        using (x)
        using (y)
        {
            using var nan = full_like(x, double.NaN);
            using var zero = zeros_like(y);
            var e = Assert.Throws<InvalidOperationException>(() => ClassifierEvaluation.Accuracy(model, nan, zero));
            Assert.Contains("NaN or infinite for input 0", e.Message);
            using var nine = full_like(y, 9);
            var bad = Assert.Throws<ArgumentException>(() => ClassifierEvaluation.Accuracy(model, x, nine));
            Assert.Contains("not one of the model's 4 classes", bad.Message);
            using var none = x.narrow(0, 0, 0);
            using var noLabels = y.narrow(0, 0, 0);
            Assert.Throws<ArgumentException>(() => ClassifierEvaluation.Accuracy(model, none, noLabels));
        }
    }
}
