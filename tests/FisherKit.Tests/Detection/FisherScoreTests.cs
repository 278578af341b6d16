using FisherKit.Detection;
using FisherKit.Fisher;
using FisherKit.Tests.Fisher;

namespace FisherKit.Tests.Detection;

public class FisherScoreTests
{
    [Fact]
    public void Every_fisher_score_reports_the_matching_per_input_quantity()
    {
        using var model = TinyNets.Cnn(51);
        using var x = TinyNets.Inputs(51, 5, 1, 6, 6);
        var all = new PerInputFisher(model).Compute(x);
        var expected = new Dictionary<FisherQuantity, double[]>
        {
            [FisherQuantity.Trace] = all.Trace,
            [FisherQuantity.TopEigenvalue] = all.TopEigenvalue,
            [FisherQuantity.FormNormalized] = all.FormNormalized,
            [FisherQuantity.FormRaw] = all.FormRaw,
            [FisherQuantity.FormNormalizedPerTensor] = all.FormNormalizedPerTensor,
            [FisherQuantity.FormRawPerTensor] = all.FormRawPerTensor,
            [FisherQuantity.Reduced] = all.Reduced,
        };
        foreach (var score in FisherScore.All(model, batchSize: 2))
        {
            var s = score.Score(x);
            for (int i = 0; i < s.Length; i++)
                Assert.True(Math.Abs(s[i] - expected[score.Quantity][i]) <= 1e-8 * Math.Abs(expected[score.Quantity][i]), $"{score.Name} input {i}");
            Assert.False(string.IsNullOrWhiteSpace(score.Description));
        }
    }
}
