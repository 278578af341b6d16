using FisherKit.Detection;

namespace FisherKit.Tests.Detection;

public class ScoreFunctionTests
{
    [Fact]
    public void Max_softmax_of_a_one_hot_prediction_is_one_and_of_a_uniform_one_is_one_over_C()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 800, 0, 0, 0, /* uniform */ 2, 2, 2, 2 }, [2, 4]);
        var msp = ScoreFunctions.MaxSoftmaxProbability(logits).ToArray<double>();
        Assert.Equal(1.0, msp[0], 15);
        Assert.Equal(0.25, msp[1], 15);
    }

    [Fact]
    public void Entropy_of_a_uniform_distribution_is_log_C_and_of_a_one_hot_is_zero()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new double[] { 0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 1, 0, 0 }, [2, 5]);
        var h = ScoreFunctions.Entropy(p).ToArray<double>();
        Assert.Equal(Math.Log(5), h[0], 14);
        Assert.Equal(0.0, h[1], 15);
        var fromLogits = ScoreFunctions.EntropyFromLogits(zeros(3, 7)).ToArray<double>();
        Assert.All(fromLogits, v => Assert.Equal(Math.Log(7), v, 6));
    }

    [Fact]
    public void Entropy_from_logits_matches_a_hand_computation()
    {
        using var scope = NewDisposeScope();
        double[] z = [1.0, -0.5, 2.0];
        var e = z.Select(Math.Exp).ToArray();
        var p = e.Select(v => v / e.Sum()).ToArray();
        var expected = -p.Sum(v => v * Math.Log(v));
        Assert.Equal(expected, ScoreFunctions.EntropyFromLogits(tensor(z, [1, 3])).ToDouble(), 13);
    }

    [Fact]
    public void Energy_is_minus_T_logsumexp_of_the_logits_over_T()
    {
        using var scope = NewDisposeScope();
        double[] z = [1.5, -2.0, 0.25, 3.0];
        var logits = tensor(z, [1, 4]);
        double lse = Math.Log(z.Sum(Math.Exp));
        Assert.Equal(-lse, ScoreFunctions.Energy(logits).ToDouble(), 13);
        double lse2 = Math.Log(z.Sum(v => Math.Exp(v / 2)));
        Assert.Equal(-2 * lse2, ScoreFunctions.Energy(logits, 2).ToDouble(), 13);
    }

    [Fact]
    public void Mutual_information_of_identical_samples_is_zero()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new double[] { 0.7, 0.2, 0.1 }, [1, 1, 3]).expand(5, 4, 3);
        Assert.All(ScoreFunctions.Disagreement(p, SampleMeasure.MutualInformation).ToArray<double>(), v => Assert.Equal(0, v, 14));
        Assert.All(ScoreFunctions.Disagreement(p, SampleMeasure.VariationRatio).ToArray<double>(), v => Assert.Equal(0, v, 14));
        Assert.All(ScoreFunctions.Disagreement(p, SampleMeasure.MeanStandardDeviation).ToArray<double>(), v => Assert.Equal(0, v, 7));
        var h = -(0.7 * Math.Log(0.7) + 0.2 * Math.Log(0.2) + 0.1 * Math.Log(0.1));
        Assert.All(ScoreFunctions.Disagreement(p, SampleMeasure.PredictiveEntropy).ToArray<double>(), v => Assert.Equal(h, v, 13));
    }

    [Fact]
    public void Two_confident_samples_that_disagree_have_mutual_information_log_two()
    {
        using var scope = NewDisposeScope();
        // Samples one-hot on class 0, class 1, class 1: p̄ = (1/3, 2/3, 0), each sample has zero entropy.
        var p = tensor(new double[] { 1, 0, 0, 0, 1, 0, 0, 1, 0 }, [3, 1, 3]);
        var mi = ScoreFunctions.Disagreement(p, SampleMeasure.MutualInformation).ToDouble();
        Assert.Equal(-(1.0 / 3 * Math.Log(1.0 / 3) + 2.0 / 3 * Math.Log(2.0 / 3)), mi, 13);
        Assert.Equal(1 - 2.0 / 3, ScoreFunctions.Disagreement(p, SampleMeasure.VariationRatio).ToDouble(), 14);
        // std over samples of p_0 = sqrt(1/3 − 1/9), of p_1 the same, of p_2 zero; mean over 3 classes.
        Assert.Equal(2 * Math.Sqrt(2.0 / 9) / 3, ScoreFunctions.Disagreement(p, SampleMeasure.MeanStandardDeviation).ToDouble(), 13);
        var half = tensor(new double[] { 1, 0, 0, 1 }, [2, 1, 2]);
        Assert.Equal(Math.Log(2), ScoreFunctions.Disagreement(half, SampleMeasure.MutualInformation).ToDouble(), 14);
    }

    [Theory]
    [InlineData(SampleMeasure.MutualInformation)]
    [InlineData(SampleMeasure.PredictiveEntropy)]
    [InlineData(SampleMeasure.VariationRatio)]
    [InlineData(SampleMeasure.MeanStandardDeviation)]
    public void Disagreement_needs_at_least_two_samples(SampleMeasure measure)
    {
        using var scope = NewDisposeScope();
        // One sample of two disagreeing-looking rows: with S = 1 there is nothing to disagree with, and mutual
        // information and variation ratio would be 0 whatever the input.
        var one = tensor(new double[] { 0.5, 0.5, 0.0, 0.1, 0.2, 0.7 }, [1, 2, 3]);
        var e = Assert.Throws<ArgumentException>(() => ScoreFunctions.Disagreement(one, measure));
        Assert.Equal("probabilitySamples", e.ParamName);
        Assert.Contains("S = 1", e.Message);
        // Two samples are accepted: one-hot on different classes, mutual information log 2 (closed form).
        var two = tensor(new double[] { 1, 0, 0, 1 }, [2, 1, 2]);
        var v = ScoreFunctions.Disagreement(two, measure).ToDouble();
        double expected = measure switch
        {
            SampleMeasure.MutualInformation or SampleMeasure.PredictiveEntropy => Math.Log(2),
            SampleMeasure.VariationRatio => 0.5,
            _ => 0.5,                               // std of (1, 0) and of (0, 1) is ½ each, mean over 2 classes
        };
        Assert.Equal(expected, v, 14);
    }

    [Fact]
    public void Local_spatial_entropy_of_a_constant_map_is_zero()
    {
        using var scope = NewDisposeScope();
        var maps = full([2, 10, 12], 3.7, ScalarType.Float64);
        Assert.All(ScoreFunctions.LocalSpatialEntropy(maps).ToArray<double>(), v => Assert.Equal(0, v, 15));
    }

    [Fact]
    public void Local_spatial_entropy_of_a_checkerboard_matches_a_hand_count()
    {
        using var scope = NewDisposeScope();
        var board = new double[8 * 8];
        for (int r = 0; r < 8; r++) for (int c = 0; c < 8; c++) board[r * 8 + c] = (r + c) % 2;
        var maps = tensor(board, [1, 8, 8]);
        // Every 3×3 window holds 5 of one level and 4 of the other.
        double expected = -(5.0 / 9 * Math.Log2(5.0 / 9) + 4.0 / 9 * Math.Log2(4.0 / 9));
        Assert.Equal(expected, ScoreFunctions.LocalSpatialEntropy(maps, window: 3, bins: 4).ToDouble(), 13);
        // 2×2 windows hold two of each: exactly one bit.
        Assert.Equal(1.0, ScoreFunctions.LocalSpatialEntropy(maps, window: 2, bins: 8).ToDouble(), 13);
    }

    [Fact]
    public void Local_spatial_entropy_of_a_ramp_counts_distinct_levels_per_window()
    {
        using var scope = NewDisposeScope();
        // A horizontal ramp 0..7 over 8 columns, scaled to [0, 1] and cut into 8 levels: each column its
        // own level, so every 4×4 window holds 4 levels equally often: 2 bits.
        var ramp = arange(0, 8, dtype: ScalarType.Float64).view(1, 1, 8).expand(1, 6, 8).contiguous();
        Assert.Equal(2.0, ScoreFunctions.LocalSpatialEntropy(ramp, window: 4, bins: 8).ToDouble(), 13);
    }

    [Fact]
    public void Malformed_inputs_are_rejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => ScoreFunctions.MaxSoftmaxProbability(zeros(5)));
        Assert.Throws<ArgumentException>(() => ScoreFunctions.Energy(zeros(3, 1)));
        Assert.Throws<ArgumentException>(() => ScoreFunctions.Disagreement(zeros(3, 4), SampleMeasure.MutualInformation));
        Assert.Throws<ArgumentException>(() => ScoreFunctions.LocalSpatialEntropy(zeros(2, 3, 3), window: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreFunctions.Energy(zeros(3, 2), 0));
    }
}
