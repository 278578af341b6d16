using FisherKit.Data;
using FisherKit.Metrics.Classification;
using FisherKit.Training;

namespace FisherKit.Tests.Training;

public class ImbalancedLossTests
{
    private static readonly double[,] Logits = { { 2.0, -1.0, 0.5 }, { 0.1, 0.2, 0.3 }, { -3.0, 4.0, 1.0 }, { 1.5, 1.5, -2.0 } };
    private static readonly long[] Targets = [0, 2, 1, 1];

    private static double LogP(int i, long c)
    {
        double m = Enumerable.Range(0, 3).Max(k => Logits[i, k]);
        double lse = m + Math.Log(Enumerable.Range(0, 3).Sum(k => Math.Exp(Logits[i, k] - m)));
        return Logits[i, c] - lse;
    }

    private static TrainingBatch Batch() => new(zeros(4, 1), tensor(Targets));

    [Fact]
    public void Weighted_cross_entropy_is_the_weighted_mean_of_the_per_sample_losses()
    {
        double[] w = [0.5, 3.0, 1.25];
        double num = 0, den = 0;
        for (int i = 0; i < 4; i++) { num += w[Targets[i]] * -LogP(i, Targets[i]); den += w[Targets[i]]; }
        using var z = tensor(Logits);
        var b = new WeightedClassificationLoss(w).Compute(z, Batch(), false);
        Assert.Equal(num / den, b.Reported.ToDouble(), 12);
        Assert.Equal(3, b.Correct!.item<long>());   // samples 0, 1 and 2 are argmax-correct
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void Focal_loss_matches_its_formula(double gamma)
    {
        double[] alpha = [0.25, 0.75, 2.0];
        double plain = 0, weighted = 0;
        for (int i = 0; i < 4; i++)
        {
            double lp = LogP(i, Targets[i]), f = Math.Pow(1 - Math.Exp(lp), gamma) * -lp;
            plain += f / 4;
            weighted += alpha[Targets[i]] * f / 4;
        }
        using var z = tensor(Logits);
        Assert.Equal(plain, new FocalLoss(gamma).Compute(z, Batch(), false).Reported.ToDouble(), 12);
        Assert.Equal(weighted, new FocalLoss(gamma, alpha).Compute(z, Batch(), false).Reported.ToDouble(), 12);
    }

    [Fact]
    public void Focal_loss_with_gamma_zero_is_the_cross_entropy_and_gradients_flow()
    {
        using var z = tensor(Logits).requires_grad_(true);
        var fl = new FocalLoss(0).Compute(z, Batch(), false).Minimised;
        using var ce = nn.functional.cross_entropy(z, tensor(Targets));
        Assert.Equal(ce.ToDouble(), fl.ToDouble(), 12);
        fl.backward();
        Assert.True(z.grad is not null && z.grad.abs().sum().ToDouble() > 0);
    }

    [Fact]
    public void Bad_weights_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new WeightedClassificationLoss([1.0, -1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FocalLoss(-1));
        Assert.Equal([0.625, 2.5], ImbalancedLosses.InverseFrequencyWeights([40L, 10L]));
        Assert.Throws<ArgumentException>(() => ImbalancedLosses.InverseFrequencyWeights([5L, 0L]));
    }

    [Fact]
    public void Oversampling_balances_the_classes_and_keeps_every_majority_sample()
    {
        long[] labels = [0, 0, 0, 0, 0, 0, 1, 0, 0, 1];
        var idx = ClassBalance.OversampleIndices(labels, 3);
        Assert.Equal(16, idx.Length);
        Assert.Equal(8, idx.Count(i => labels[i] == 1));
        Assert.Equal(Enumerable.Range(0, 10).Where(i => labels[i] == 0).Select(i => (long)i).OrderBy(i => i), idx.Where(i => labels[i] == 0).OrderBy(i => i));
    }

    [Fact]
    public void Precision_recall_and_f1_from_counts()
    {
        double[] s = [0.9, 0.8, 0.7, 0.4, 0.3, 0.1];
        bool[] y = [true, false, true, true, false, false];
        var m = BinaryMetrics.At(s, y, 0.5);
        Assert.Equal((2L, 1L, 1L, 2L), (m.TruePositives, m.FalsePositives, m.FalseNegatives, m.TrueNegatives));
        Assert.Equal(2.0 / 3, m.Precision, 12);
        Assert.Equal(2.0 / 3, m.Recall, 12);
        Assert.Equal(2.0 / 3, m.F1, 12);
        var best = BinaryMetrics.BestF1(s, y);
        Assert.Equal(0.4, best.Threshold);   // TP 3, FP 1: F1 = 6/7
        Assert.Equal(6.0 / 7, best.F1, 12);
        Assert.True(double.IsNaN(BinaryMetrics.At(s, y, 2).Precision));
    }
}
