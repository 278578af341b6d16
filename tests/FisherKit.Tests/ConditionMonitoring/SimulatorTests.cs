using FisherKit.ConditionMonitoring;

namespace FisherKit.Tests.ConditionMonitoring;

public class SimulatorTests
{
    [Fact]
    public void Defect_frequencies_match_their_closed_forms_and_the_published_6205_multipliers()
    {
        var b = BearingGeometry.Skf6205;
        double fr = 29.95, rho = 7.94 / 39.04;
        Assert.Equal(9 / 2.0 * fr * (1 - rho), b.Bpfo(fr), 12);
        Assert.Equal(9 / 2.0 * fr * (1 + rho), b.Bpfi(fr), 12);
        Assert.Equal(fr / 2 * (1 - rho), b.Ftf(fr), 12);
        Assert.Equal(39.04 / (2 * 7.94) * fr * (1 - rho * rho), b.Bsf(fr), 12);
        // The multiples of shaft speed published with the Case Western Reserve bearing data for the 6205-2RS.
        Assert.Equal(3.5848, b.Bpfo(1), 3);
        Assert.Equal(5.4152, b.Bpfi(1), 3);
        Assert.Equal(0.39828, b.Ftf(1), 3);
        Assert.Equal(4.7135 / 2, b.Bsf(1), 3);
        // Kinematic identities: BPFO + BPFI = n·f_r and BPFO = n·FTF.
        Assert.Equal(9 * fr, b.Bpfo(fr) + b.Bpfi(fr), 10);
        Assert.Equal(9 * b.Ftf(fr), b.Bpfo(fr), 10);
        var angled = new BearingGeometry(12, 10, 50, 30);
        double r2 = 10 / 50.0 * Math.Cos(Math.PI / 6);
        Assert.Equal(6 * 20 * (1 - r2), angled.Bpfo(20), 10);
    }

    [Fact]
    public void Bad_geometry_and_machines_are_refused_with_the_value_named()
    {
        Assert.Contains("pitch diameter", Assert.Throws<ArgumentException>(() => new BearingGeometry(9, 8, 7).Bpfo(30)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BearingGeometry.Skf6205.Bpfo(-1));
        Assert.Contains("power of two", Assert.Throws<ArgumentException>(() => VibrationSimulator.Simulate(new MachineSpec { WindowLength = 1000 })).Message);
        Assert.Contains("onset", Assert.Throws<ArgumentException>(() => VibrationSimulator.Simulate(new MachineSpec { Windows = 10, OnsetWindow = 10 })).Message);
    }

    [Theory]
    [InlineData(DefectLocation.OuterRace)]
    [InlineData(DefectLocation.InnerRace)]
    [InlineData(DefectLocation.Ball)]
    public void Envelope_spectrum_peaks_at_the_defect_frequency_after_onset_and_not_before(DefectLocation location)
    {
        var m = new MachineSpec { Location = location, Windows = 12, OnsetWindow = 6, InitialSeverity = 1.5, FinalSeverity = 2, WindowLength = 4096, Seed = 3 };
        var run = VibrationSimulator.Simulate(m);
        for (int k = 0; k < run.Count; k++)
        {
            var env = Fourier.Amplitude(Fourier.Envelope(run.Signals[k], m.SampleRate, 1500, 5500));
            double fd = run.ImpactHz(k);
            double atDefect = ConditionFeatures.AmplitudeNear(env, m.SampleRate, m.WindowLength, fd, 2);
            // Reference level: the median envelope amplitude between 20 Hz and 600 Hz.
            var band = env.Select((a, i) => (a, f: i * m.SampleRate / m.WindowLength)).Where(t => t.f > 20 && t.f < 600).Select(t => t.a).OrderBy(a => a).ToArray();
            double median = band[band.Length / 2];
            if (run.IsDefective(k)) Assert.True(atDefect > 5 * median, $"window {k}: {atDefect} at {fd:F1} Hz vs median {median}");
            else Assert.True(atDefect < 3 * median, $"window {k}: {atDefect} at {fd:F1} Hz vs median {median} before onset");
        }
    }

    [Fact]
    public void Raw_spectrum_shows_the_shaft_harmonics_and_severity_grows_from_onset()
    {
        var m = new MachineSpec { Windows = 10, OnsetWindow = 4, Seed = 1, SpeedVariation = 0 };
        var run = VibrationSimulator.Simulate(m);
        var a = Fourier.Amplitude(run.Signals[0]);
        double first = ConditionFeatures.AmplitudeNear(a, m.SampleRate, m.WindowLength, run.ShaftHz[0], 1);
        Assert.InRange(first, 0.5 * run.Load[0], 1.2 * run.Load[0]);   // A_1 = 1 times the load, leakage lowers it
        Assert.All(Enumerable.Range(0, 4), k => Assert.Equal(0, run.Severity[k]));
        Assert.Equal(m.InitialSeverity, run.Severity[4], 12);
        Assert.Equal(m.FinalSeverity, run.Severity[9], 12);
        Assert.True(run.Severity.Skip(4).Zip(run.Severity.Skip(5)).All(p => p.Second > p.First));
        var again = VibrationSimulator.Simulate(m);
        Assert.Equal(run.Signals[7], again.Signals[7]);
    }

    [Fact]
    public void Fft_matches_the_direct_dft()
    {
        var rng = new Random(5);
        int n = 16;
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var re = (double[])x.Clone();
        var im = new double[n];
        Fourier.Transform(re, im);
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++) { sr += x[t] * Math.Cos(2 * Math.PI * k * t / n); si -= x[t] * Math.Sin(2 * Math.PI * k * t / n); }
            Assert.Equal(sr, re[k], 12);
            Assert.Equal(si, im[k], 12);
        }
        Fourier.Transform(re, im, inverse: true);
        for (int t = 0; t < n; t++) Assert.Equal(x[t], re[t], 12);
        Assert.Equal(x.Select(v => v * v).Average(), Fourier.Power(x).Sum(), 12);
    }
}
