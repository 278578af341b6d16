using FisherKit.Simulators.Mammography;

namespace FisherKit.Tests.Simulators.Mammography;

public class GroundTruthTests
{
    [Fact]
    public void The_4AFC_threshold_needs_d_prime_1_235()
    {
        Assert.Equal(0.25, FourAfc.ProportionCorrect(0), 6);
        Assert.Equal(1.2350, FourAfc.DPrimeFor(0.625), 3);   // research/mammography.md §3.3
        Assert.Equal(1.6822, FourAfc.DPrimeFor(0.75), 3);
        // Monte Carlo of the 4-AFC itself: 200 000 trials, binomial bound.
        var rng = new Random(1);
        int hits = 0, n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double s = 1.235 + rng.NextNormal();
            if (s > rng.NextNormal() && s > rng.NextNormal() && s > rng.NextNormal()) hits++;
        }
        Assert.InRange(hits / (double)n, 0.625 - 4 * Math.Sqrt(0.625 * 0.375 / n), 0.625 + 4 * Math.Sqrt(0.625 * 0.375 / n));
    }

    [Fact]
    public void The_ideal_observer_threshold_matches_its_Monte_Carlo_reading()
    {
        double diameter = 0.25;
        var device = new MammographyDevice { QuantaPerPixel = 2000 };
        var observer = new IdealObserver(device);
        var sim = new CdmamSimulator(device, supersampling: 2);
        double t = observer.Threshold(diameter);
        Assert.Equal(0.625, observer.ProportionCorrect(diameter, t), 4);
        // At t*, 800 independent 4-AFC readings with the matched filter are right with probability 0.625 (4σ binomial bound).
        var layout = CdmamLayout.Repeated(diameter, [t, 2 * t], repeats: 800, columns: 40);
        using var batch = sim.Render(layout, 1, seed: 21);
        using var hits = CdmamReader.Read(sim, batch, CdmamReaderKind.MatchedFilter);
        var h = hits.to(float64)[0];
        double atThreshold = h[..800].mean().ToDouble(), atDouble = h[800..1600].mean().ToDouble();
        double sigma = Math.Sqrt(0.625 * 0.375 / 800);
        Assert.InRange(atThreshold, 0.625 - 4 * sigma, 0.625 + 4 * sigma);
        double expected = observer.ProportionCorrect(diameter, 2 * t);
        double sigma2 = Math.Sqrt(expected * (1 - expected) / 800);
        Assert.InRange(atDouble, expected - 4 * sigma2, expected + 4 * sigma2);
    }

    [Fact]
    public void The_EUREF_style_fit_reads_the_ideal_observer_about_ten_per_cent_low()
    {
        var observer = new IdealObserver(new MammographyDevice());
        double t = observer.Threshold(0.25);
        var ladder = Enumerable.Range(-4, 9).Select(i => t * Math.Pow(2, i / 2.0)).ToList();
        double limit = observer.FittedThreshold(0.25, ladder);
        // An independent fit of the same exact proportions: Newton's method on the expected binomial log-likelihood of
        // the logistic in ln t (equal weights), from the analytic threshold, instead of PsychometricFit's grid search.
        var p = ladder.Select(x => observer.ProportionCorrect(0.25, x)).ToArray();
        var x = ladder.Select(v => Math.Log(v)).ToArray();
        double m = Math.Log(t), k = 2;
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double gm = 0, gk = 0, hmm = 0, hmk = 0, hkk = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double z = k * (x[i] - m), s = 1 / (1 + Math.Exp(-z)), q = 0.25 + 0.75 * s;
                double dq = 0.75 * s * (1 - s);                          // dq/dz
                double w = (p[i] - q) / (q * (1 - q));                    // d log-likelihood / dq
                double dzdm = -k, dzdk = x[i] - m;
                gm += w * dq * dzdm; gk += w * dq * dzdk;
                double fisher = dq * dq / (q * (1 - q));                  // expected information per unit of z
                hmm -= fisher * dzdm * dzdm; hmk -= fisher * dzdm * dzdk; hkk -= fisher * dzdk * dzdk;
            }
            double det = hmm * hkk - hmk * hmk;
            m -= (gm * hkk - gk * hmk) / det;
            k -= (gk * hmm - gm * hmk) / det;
        }
        Assert.Equal(Math.Exp(m), limit, limit * 0.01);   // the grid search's resolution
        Assert.InRange(limit / t, 0.85, 0.95);            // the fit's offset, about 10 %
        // Binomial readings drawn from the exact proportions, with no image at all, fit around FittedThreshold.
        const int repetitions = 40;
        var ratios = BinomialFitLogRatios(0.25, ladder, p, trials: 2000, repetitions, seed: 7, limit);
        double mean = ratios.Average(), standardError = Math.Sqrt(ratios.Sum(v => (v - mean) * (v - mean)) / (repetitions - 1) / repetitions);
        Assert.True(Math.Abs(mean) < 4 * standardError + 0.005, $"mean ln(fit / FittedThreshold) {mean:F4} ± {standardError:F4}");
    }

    [Fact]
    public void The_EUREF_style_fit_of_Monte_Carlo_readings_recovers_the_fit_of_the_ideal_observer()
    {
        var device = new MammographyDevice();
        var observer = new IdealObserver(device);
        var sim = new CdmamSimulator(device, supersampling: 2);
        double t = observer.Threshold(0.25);
        var ladder = Enumerable.Range(-4, 9).Select(i => t * Math.Pow(2, i / 2.0)).ToList();
        var layout = CdmamLayout.Repeated(0.25, ladder, repeats: 100, columns: 30);
        using var batch = sim.Render(layout, 2, seed: 4);
        using var hits = CdmamReader.Read(sim, batch, CdmamReaderKind.MatchedFilter);
        var fit = Assert.Single(CdmamReader.Thresholds(hits, layout));
        Assert.False(fit.Extrapolated);
        // The bound is measured: 200 binomial readings per thickness drawn from the exact proportions, fitted the same
        // way, give the scatter of ln t* that 200 readings allow; the images' reading must lie within 3 of its sd.
        double limit = observer.FittedThreshold(0.25, ladder);
        var p = ladder.Select(x => observer.ProportionCorrect(0.25, x)).ToArray();
        var scatter = BinomialFitLogRatios(0.25, ladder, p, trials: 200, repetitions: 200, seed: 11, limit);
        double sd = Math.Sqrt(scatter.Sum(v => v * v) / scatter.Length);   // around the limit, not the sample mean
        Assert.InRange(sd, 0.02, 0.08);   // about 0.04 with the fit's slope of about 2.4
        double offset = Math.Log(fit.ThresholdUm / limit);
        Assert.True(Math.Abs(offset) < 3 * sd, $"ln(image fit / FittedThreshold) = {offset:F4}, binomial sd {sd:F4}");
        // The search reader (CDCOM-like) is less efficient than the matched filter: its threshold is not lower.
        using var searchHits = CdmamReader.Read(sim, batch, CdmamReaderKind.Search);
        var search = Assert.Single(CdmamReader.Thresholds(searchHits, layout));
        Assert.True(search.ThresholdUm > 0.95 * fit.ThresholdUm, $"search {search.ThresholdUm}, matched filter {fit.ThresholdUm}");
    }

    /// <summary>
    /// ln(fitted t* / <paramref name="limit"/>) for <paramref name="repetitions"/> sets of binomial readings drawn from the
    /// proportions <paramref name="p"/>, <paramref name="trials"/> per thickness, each fitted by <see cref="PsychometricFit"/>.
    /// </summary>
    private static double[] BinomialFitLogRatios(double diameterMm, IReadOnlyList<double> ladder, double[] p, int trials, int repetitions, int seed, double limit)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, repetitions).Select(_ => Math.Log(PsychometricFit.Fit(diameterMm, ladder,
            p.Select(pi => (long)Enumerable.Range(0, trials).Count(_ => rng.NextDouble() < pi)).ToArray(),
            ladder.Select(_ => (long)trials).ToArray()).ThresholdUm / limit)).ToArray();
    }

    [Fact]
    public void The_psychometric_fit_recovers_a_known_curve_from_exact_proportions()
    {
        double tStar = 0.1, k = 3;
        var t = new[] { 0.03, 0.05, 0.08, 0.1, 0.13, 0.2, 0.36 };
        var trials = t.Select(_ => 100_000L).ToArray();
        var hits = t.Select(x => (long)Math.Round(100_000 * (0.25 + 0.75 / (1 + Math.Exp(-k * Math.Log(x / tStar)))))).ToArray();
        var fit = PsychometricFit.Fit(0.5, t, hits, trials);
        Assert.Equal(tStar, fit.ThresholdUm, 3);
        Assert.InRange(fit.Slope, 2.9, 3.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => PsychometricFit.Fit(0.5, [0.1, 0.2], [5, 20], [10, 10]));
    }
}
