using FisherKit.ConditionMonitoring;

namespace FisherKit.Tests.ConditionMonitoring;

public class FeatureTests
{
    private const int N = 1024;
    private const double Fs = 8192;

    private static double[] Sine(double amplitude, int bin, double offset = 0) =>
        Enumerable.Range(0, N).Select(i => offset + amplitude * Math.Cos(2 * Math.PI * bin * i / N)).ToArray();

    [Fact]
    public void Sine_has_the_textbook_rms_peak_crest_and_kurtosis()
    {
        var x = Sine(2, 64);
        Assert.Equal(Math.Sqrt(2), ConditionFeatures.Rms(x), 12);
        Assert.Equal(2, ConditionFeatures.Peak(x), 12);
        Assert.Equal(Math.Sqrt(2), ConditionFeatures.CrestFactor(x), 12);
        Assert.Equal(1.5, ConditionFeatures.Kurtosis(x), 12);
    }

    [Fact]
    public void Square_wave_and_single_spike_match_hand_computation()
    {
        var sq = Enumerable.Range(0, N).Select(i => (i / 8) % 2 == 0 ? 1.0 : -1.0).ToArray();
        Assert.Equal(1, ConditionFeatures.Rms(sq), 12);
        Assert.Equal(1, ConditionFeatures.CrestFactor(sq), 12);
        Assert.Equal(1, ConditionFeatures.Kurtosis(sq), 12);
        // One spike of height h among N zeros: mean h/N, and kurtosis by direct computation.
        var spike = new double[N];
        spike[10] = 3;
        double mu = 3.0 / N, m2 = ((3 - mu) * (3 - mu) + (N - 1) * mu * mu) / N, m4 = (Math.Pow(3 - mu, 4) + (N - 1) * Math.Pow(mu, 4)) / N;
        Assert.Equal(m4 / (m2 * m2), ConditionFeatures.Kurtosis(spike), 9);
        Assert.Equal(Math.Sqrt(N), ConditionFeatures.CrestFactor(spike), 9);
    }

    [Fact]
    public void Band_powers_put_a_sine_and_an_offset_in_their_bands()
    {
        var x = Sine(2, 64, offset: 0.5);   // 64·8 Hz = 512 Hz
        var p = ConditionFeatures.BandPowers(Fourier.Power(x), Fs, N, [0, 256, 1024, 4096]);
        Assert.Equal(0.25, p[0], 12);      // DC: 0.5²
        Assert.Equal(2.0, p[1], 12);       // A²/2
        Assert.Equal(0, p[2], 12);
    }

    [Fact]
    public void Envelope_spectrum_of_an_am_signal_shows_the_modulation_depth()
    {
        // (1 + m cos 2π f_m t)·A cos 2π f_c t, f_m = 16 bins (128 Hz), f_c = 256 bins (2048 Hz).
        double a = 1.5, m = 0.4;
        var x = Enumerable.Range(0, N).Select(i => a * (1 + m * Math.Cos(2 * Math.PI * 16 * i / N)) * Math.Cos(2 * Math.PI * 256 * i / N)).ToArray();
        var env = Fourier.Envelope(x, Fs, 1000, 3000);
        for (int i = 0; i < N; i++) Assert.Equal(a * (1 + m * Math.Cos(2 * Math.PI * 16 * i / N)), env[i], 9);
        var spectrum = Fourier.Amplitude(env);
        Assert.Equal(a * m, ConditionFeatures.AmplitudeNear(spectrum, Fs, N, 128, 1), 9);
        Assert.Equal(0, spectrum[40], 9);
    }

    [Fact]
    public void Feature_vector_and_spectrogram_have_the_named_entries()
    {
        var f = new ConditionFeatures(12_000);
        var x = Enumerable.Range(0, 2048).Select(i => Math.Sin(2 * Math.PI * 3000 * i / 12_000.0)).ToArray();
        var v = f.Compute(x, 30, BearingGeometry.Skf6205);
        Assert.Equal(f.Names.Count, v.Length);
        Assert.Equal(Math.Log10(0.5), v[4 + 4], 6);   // 3 kHz lies in band 4 of 8 (3–3.75 kHz)
        var s = ConditionFeatures.LogSpectrogram(x, frames: 4, bands: 8);
        Assert.Equal(32, s.Length);
        for (int frame = 0; frame < 4; frame++) Assert.Equal(Math.Log10(0.5), s[4 * 4 + frame], 6);
        Assert.Throws<ArgumentException>(() => ConditionFeatures.LogSpectrogram(x, 3, 8));
        Assert.Throws<ArgumentException>(() => ConditionFeatures.Rms([]));
    }

    [Fact]
    public void A_signal_with_a_NaN_sample_is_refused_naming_the_sample()
    {
        // Crest factor and kurtosis came out 0 (NaN fails their "> 0" tests) while the other features were NaN.
        var x = Enumerable.Range(0, 64).Select(i => Math.Sin(i * 0.3)).ToArray();
        x[17] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => ConditionFeatures.CrestFactor(x));
        Assert.Contains("sample 17", e.Message);
        Assert.Throws<ArgumentException>(() => ConditionFeatures.Kurtosis(x));
    }
}
