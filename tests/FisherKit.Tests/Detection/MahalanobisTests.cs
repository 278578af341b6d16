using FisherKit.Detection;
using FisherKit.Models;

namespace FisherKit.Tests.Detection;

public class MahalanobisTests
{
    // Two classes in 2-D, three points each.
    private static readonly double[][] Points = [[0, 0], [2, 1], [1, 2], [5, 5], [6, 4], [7, 6]];
    private static readonly long[] Labels = [0, 0, 0, 1, 1, 1];

    [Fact]
    public void Distances_match_a_hand_computation_with_a_shared_covariance()
    {
        // Hand computation: class means, pooled covariance (1/N) Σ (z − μ_y)(z − μ_y)ᵀ, 2×2 inverse.
        var mu = new double[2][];
        for (int c = 0; c < 2; c++)
        {
            var members = Points.Where((_, i) => Labels[i] == c).ToArray();
            mu[c] = [members.Average(p => p[0]), members.Average(p => p[1])];
        }
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < Points.Length; i++)
        {
            var dx = Points[i][0] - mu[Labels[i]][0];
            var dy = Points[i][1] - mu[Labels[i]][1];
            sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
        }
        sxx /= 6; sxy /= 6; syy /= 6;
        var det = sxx * syy - sxy * sxy;
        double D2(double[] z, double[] m)
        {
            double dx = z[0] - m[0], dy = z[1] - m[1];
            return (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
        }
        double[][] queries = [[1, 1], [3, 3], [10, -2]];

        using var scope = NewDisposeScope();
        var features = tensor(Points.SelectMany(p => p).ToArray(), [6, 2]);
        using var score = MahalanobisScore.FromFeatures(features, tensor(Labels), ridge: 0);
        var q = tensor(queries.SelectMany(p => p).ToArray(), [3, 2]);
        var dist = score.SquaredDistances(q).ToArray<double>();
        var s = score.ScoreFeatures(q);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(D2(queries[i], mu[0]), dist[i * 2], 10);
            Assert.Equal(D2(queries[i], mu[1]), dist[i * 2 + 1], 10);
            Assert.Equal(Math.Min(D2(queries[i], mu[0]), D2(queries[i], mu[1])), s[i], 10);
        }
        Assert.Equal(sxy, score.Covariance[0, 1].ToDouble(), 12);
    }

    [Fact]
    public void A_class_missing_from_training_gets_no_mean()
    {
        using var scope = NewDisposeScope();
        var features = tensor(Points.SelectMany(p => p).ToArray(), [6, 2]);
        var labels = tensor(new long[] { 0, 0, 0, 2, 2, 2 });
        using var score = MahalanobisScore.FromFeatures(features, labels);
        Assert.Equal([0L, 2L], score.Classes);
        Assert.Equal([2L, 2L], score.Means.shape);
    }

    [Fact]
    public void A_singular_covariance_is_rescued_by_the_ridge()
    {
        using var scope = NewDisposeScope();
        // The second feature is a copy of the first: Σ has rank one.
        var f = tensor(new double[] { 0, 0, 1, 1, 2, 2, 5, 5, 6, 6, 7, 7 }, [6, 2]);
        using var score = MahalanobisScore.FromFeatures(f, tensor(Labels), ridge: 1e-6);
        var s = score.ScoreFeatures(tensor(new double[] { 1, 1, 1, -1 }, [2, 2]));
        Assert.True(double.IsFinite(s[0]) && double.IsFinite(s[1]));
        // Leaving the line the training data lie on is very unusual.
        Assert.True(s[1] > 1e4 * Math.Max(s[0], 1e-3));
    }

    [Fact]
    public void Fitting_through_a_feature_extractor_equals_fitting_on_the_features()
    {
        using var model = TinyModels.TrainedMlp();
        var (x, y) = TinyModels.Data(120, seed: 4);
        using (x)
        using (y)
        {
            var extractor = FeatureExtractors.Penultimate(model);
            using var fitted = MahalanobisScore.Fit(extractor, x, y, batchSize: 50);
            using var scope = NewDisposeScope();
            // Penultimate features of this MLP: the dropout output = ReLU output in evaluation mode.
            Tensor features;
            using (no_grad())
            {
                var h = model[2].call(model[1].call(model[0].call(x)));
                features = h;
            }
            using var direct = MahalanobisScore.FromFeatures(features, y);
            var a = fitted.Score(x.narrow(0, 0, 10));
            var b = direct.ScoreFeatures(features.narrow(0, 0, 10));
            // Batched and unbatched float32 forward passes differ in the last bits; the fit amplifies that
            // through a 32×32 covariance from 120 samples, so compare to 1e-5 relative.
            for (int i = 0; i < 10; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5 * Math.Abs(b[i]), $"{a[i]} vs {b[i]}");
        }
    }
}
