using FisherKit.ConditionMonitoring;

namespace FisherKit.Tests.ConditionMonitoring;

public class DetectorTests
{
    [Fact]
    public void Mahalanobis_of_a_cross_is_the_scaled_euclidean_distance()
    {
        double a = 2, b = 0.5;
        double[][] train = [[a, 0], [-a, 0], [0, b], [0, -b]];   // mean 0, Σ = diag(a²/2, b²/2)
        var d = MahalanobisDetector.Fit(train, ridge: 0);
        var s = d.Score([[1, 1], [0, 0], [-3, 0.2]]);
        Assert.Equal(2 / (a * a) + 2 / (b * b), s[0], 8);
        Assert.Equal(0, s[1], 12);
        Assert.Equal(2 * 9 / (a * a) + 2 * 0.04 / (b * b), s[2], 8);
        Assert.Throws<ArgumentException>(() => d.Score([[1, 2, 3]]));
        Assert.Throws<ArgumentException>(() => MahalanobisDetector.Fit([[1, double.NaN]]));
    }

    [Fact]
    public void Knn_distance_on_a_line()
    {
        double[][] train = [[0], [1], [3]];
        Assert.Equal(0.4, KnnDetector.Fit(train, 1).Score([[2.6]])[0], 12);
        Assert.Equal(1.0, KnnDetector.Fit(train, 2).Score([[2]])[0], 12);
        Assert.Equal([1, 1, 2], KnnDetector.Fit(train, 1).ScoreLeaveOneOut());
        Assert.Throws<ArgumentOutOfRangeException>(() => KnnDetector.Fit(train, 4));
    }

    [Fact]
    public void Enclosing_ball_of_two_points_has_its_centre_halfway()
    {
        var d = EnclosingBallDetector.Fit([[-1.0], [1.0]], bandwidth: 1);
        double k01 = Math.Exp(-2), kc = Math.Exp(-0.5);
        Assert.Equal(0.5, d.Weights[0], 9);
        Assert.Equal(0.5 * (1 - k01), d.RadiusSquared, 9);
        var s = d.Score([[0.0], [1.0], [5.0]]);
        Assert.Equal(1 - 2 * kc + 0.5 * (1 + k01), s[0], 9);
        Assert.Equal(d.RadiusSquared, s[1], 9);
        Assert.True(s[2] > d.RadiusSquared && s[0] < d.RadiusSquared);
    }

    [Fact]
    public void Enclosing_ball_ignores_interior_points_of_a_square()
    {
        double[][] square = [[1, 1], [1, -1], [-1, 1], [-1, -1], [0, 0], [0.2, -0.1]];
        var d = EnclosingBallDetector.Fit(square, bandwidth: 1.5, iterations: 5000);
        for (int i = 0; i < 4; i++) Assert.Equal(0.25, d.Weights[i], 3);
        Assert.True(d.Weights[4] < 1e-3 && d.Weights[5] < 1e-3);
        Assert.True(d.Score([[3.0, 0.0]])[0] > d.RadiusSquared);
    }

    [Fact]
    public void Threshold_from_a_false_alarm_rate_holds_on_held_out_normal_data()
    {
        var rng = new Random(11);
        const double alpha = 0.05;
        // One calibration set of n, one held-out set of M: the alarm rate is within binomial error of α
        // (the calibration's own spread, α(1−α)/n, added to the held-out set's, α(1−α)/M).
        int n = 999, m = 20_000;
        var t = AlarmThreshold.FromFalseAlarmRate(Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray(), alpha);
        Assert.Equal(0.05, t.GuaranteedRate, 12);   // m = ⌈0.95·1000⌉ = 950
        double far = Enumerable.Range(0, m).Count(_ => t.Alarms(rng.NextNormal())) / (double)m;
        double sd = Math.Sqrt(alpha * (1 - alpha) * (1.0 / n + 1.0 / m));
        Assert.InRange(far, alpha - 4 * sd, alpha + 4 * sd);
        // Averaged over 300 small calibrations (n = 39), the rate is the guaranteed 1 − m/(n+1) = 0.05.
        double sum = 0;
        int reps = 300, held = 400;
        for (int r = 0; r < reps; r++)
        {
            var tr = AlarmThreshold.FromFalseAlarmRate(Enumerable.Range(0, 39).Select(_ => rng.NextNormal()).ToArray(), alpha);
            sum += Enumerable.Range(0, held).Count(_ => tr.Alarms(rng.NextNormal())) / (double)held;
        }
        double mean = sum / reps, sdMean = Math.Sqrt(alpha * (1 - alpha) / 40 / reps + alpha * (1 - alpha) / held / reps) * 1.2;
        Assert.InRange(mean, alpha - 4 * sdMean, alpha + 4 * sdMean);
        Assert.True(double.IsPositiveInfinity(AlarmThreshold.FromFalseAlarmRate([1.0, 2.0], 0.01).Threshold));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlarmThreshold.FromFalseAlarmRate([1.0], 1.5));
    }

    [Fact]
    public void Evaluation_counts_delay_false_alarms_and_auroc()
    {
        double[] scores = [0, 0, 0, 0, 5, 0, 0, 0, 1, 6, 7, 8];
        double[] hours = scores.Select((_, i) => 2.0 * i).ToArray();
        var t = new AlarmThreshold(2, 0.1, 10);
        var r = MonitoringEvaluation.Evaluate("m", "d", scores, onset: 8, hours, t, trainingWindows: 2);
        Assert.Equal(1, r.FalseAlarms);
        Assert.Equal(6, r.MonitoredNormalWindows);
        Assert.Equal(9, r.DetectionWindow);
        Assert.Equal(1, r.DelayWindows);
        Assert.Equal(2.0, r.DelayHours);
        Assert.Equal((5 + 3 * 6) / 24.0, r.Auroc, 12);   // positives 1, 6, 7, 8 against five 0s and one 5: 1 beats the 0s, the others all six
        var persistent = MonitoringEvaluation.Evaluate("m", "d", scores, 8, hours, t, 2, persistence: 2);
        Assert.Equal(0, persistent.FalseAlarms);
        Assert.Equal(10, persistent.DetectionWindow);
    }

    [Fact]
    public void Mahalanobis_adds_no_hidden_jitter_and_refuses_data_without_spread()
    {
        // Ridge 0 on a singular covariance (collinear features) is refused as documented; it used to add 1e-12 silently
        // and score a deviation of 0.1 off the line as 2·10⁹.
        double[][] line = [[0, 0], [1, 2], [2, 4], [3, 6]];
        var e = Assert.Throws<ArgumentException>(() => MahalanobisDetector.Fit(line, ridge: 0));
        Assert.Contains("singular", e.Message);
        Assert.True(MahalanobisDetector.Fit(line, ridge: 1e-3).Score([[1, 2.1]])[0] is > 0 and < 1e5);
        e = Assert.Throws<ArgumentException>(() => MahalanobisDetector.Fit([[1.0, 2.0]]));
        Assert.Contains("all equal", e.Message);
    }

    [Fact]
    public void A_NaN_score_is_refused_by_the_threshold_and_named_by_window_in_the_evaluation()
    {
        var t = new AlarmThreshold(2, 0.1, 10);
        Assert.Throws<ArgumentException>(() => t.Alarms(double.NaN));
        double[] scores = [0, 0, 0, 0, 5, 0, 0, 0, double.NaN, 6, 7, 8];
        double[] hours = scores.Select((_, i) => 2.0 * i).ToArray();
        var e = Assert.Throws<ArgumentException>(() => MonitoringEvaluation.Evaluate("m", "d", scores, onset: 6, hours, t, trainingWindows: 2));
        Assert.Contains("window 8", e.Message);
    }
}
