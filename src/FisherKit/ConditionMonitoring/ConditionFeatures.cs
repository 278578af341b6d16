namespace FisherKit.ConditionMonitoring;

/// <summary>
/// Classic condition-monitoring features of a vibration window x_0 … x_{N−1} (mean μ, standard deviation σ):
/// <list type="bullet">
/// <item>RMS = √((1/N) Σ x_i²); peak = max |x_i|; crest factor = peak / RMS;</item>
/// <item>kurtosis = (1/N) Σ (x_i − μ)⁴ / σ⁴ (3 for Gaussian noise, 1.5 for a sine; impacts raise it);</item>
/// <item>band powers: the one-sided power spectrum (<see cref="Fourier.Power"/>, summing to the mean square)
/// summed over frequency bands [f_lo, f_hi);</item>
/// <item>envelope spectrum at the defect frequencies: the amplitude spectrum (<see cref="Fourier.Amplitude"/>)
/// of the envelope in the resonance band (<see cref="Fourier.Envelope"/>), largest value within
/// ±<see cref="ToleranceBins"/> bins of BPFO, BPFI and 2·BSF at the window's shaft speed.</item>
/// </list>
/// <c>Compute</c> returns them as one vector (powers and envelope amplitudes as log10) named by
/// <see cref="Names"/>.
/// </summary>
public sealed class ConditionFeatures
{
    /// <summary>Features for windows sampled at <paramref name="sampleRate"/> with <paramref name="bands"/> equal bands up to the Nyquist frequency and the envelope band [<paramref name="envelopeLowHz"/>, <paramref name="envelopeHighHz"/>].</summary>
    public ConditionFeatures(double sampleRate, int bands = 8, double envelopeLowHz = 1500, double envelopeHighHz = 5500)
    {
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sampling rate must be positive.");
        if (bands < 1) throw new ArgumentOutOfRangeException(nameof(bands), bands, "At least one band is needed.");
        if (!(envelopeLowHz >= 0 && envelopeHighHz > envelopeLowHz && envelopeHighHz <= sampleRate / 2))
            throw new ArgumentException($"The envelope band [{envelopeLowHz}, {envelopeHighHz}] Hz must be non-empty and below the Nyquist frequency {sampleRate / 2} Hz.", nameof(envelopeHighHz));
        SampleRate = sampleRate;
        BandEdgesHz = Enumerable.Range(0, bands + 1).Select(b => b * sampleRate / 2 / bands).ToArray();
        EnvelopeLowHz = envelopeLowHz;
        EnvelopeHighHz = envelopeHighHz;
        var names = new List<string> { "RMS", "peak", "crest factor", "kurtosis" };
        for (int b = 0; b < bands; b++) names.Add($"log10 power {BandEdgesHz[b] / 1000:0.##}-{BandEdgesHz[b + 1] / 1000:0.##} kHz");
        names.AddRange(["log10 envelope BPFO", "log10 envelope BPFI", "log10 envelope 2·BSF"]);
        Names = names;
    }

    /// <summary>Sampling rate in Hz.</summary>
    public double SampleRate { get; }

    /// <summary>Edges of the power bands in Hz (B + 1 values).</summary>
    public IReadOnlyList<double> BandEdgesHz { get; }

    /// <summary>Lower edge of the envelope band (Hz).</summary>
    public double EnvelopeLowHz { get; }

    /// <summary>Upper edge of the envelope band (Hz).</summary>
    public double EnvelopeHighHz { get; }

    /// <summary>Half-width, in spectral bins, of the search around each defect frequency.</summary>
    public int ToleranceBins { get; init; } = 2;

    /// <summary>Names of the entries of the vector <c>Compute</c> returns.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The feature vector of one window at shaft frequency <paramref name="shaftHz"/> on <paramref name="bearing"/>.</summary>
    public double[] Compute(ReadOnlySpan<double> signal, double shaftHz, BearingGeometry bearing)
    {
        ArgumentNullException.ThrowIfNull(bearing);
        Fourier.CheckPowerOfTwo(signal.Length, nameof(signal));
        CheckSignal(signal);
        var v = new List<double> { Rms(signal), Peak(signal), CrestFactor(signal), Kurtosis(signal) };
        var power = Fourier.Power(signal);
        foreach (var p in BandPowers(power, SampleRate, signal.Length, BandEdgesHz)) v.Add(Math.Log10(p + 1e-12));
        var env = Fourier.Amplitude(Fourier.Envelope(signal, SampleRate, EnvelopeLowHz, EnvelopeHighHz));
        foreach (var f in new[] { bearing.Bpfo(shaftHz), bearing.Bpfi(shaftHz), 2 * bearing.Bsf(shaftHz) })
            v.Add(Math.Log10(AmplitudeNear(env, SampleRate, signal.Length, f, ToleranceBins) + 1e-12));
        return v.ToArray();
    }

    /// <summary>Feature vectors of all windows of a run.</summary>
    public double[][] Compute(RunToFailure run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Signals.Select((s, k) => Compute(s, run.ShaftHz[k], run.Machine.Bearing)).ToArray();
    }

    /// <summary>Root mean square √((1/N) Σ x²).</summary>
    public static double Rms(ReadOnlySpan<double> x)
    {
        CheckSignal(x);
        double s = 0;
        foreach (var v in x) s += v * v;
        return Math.Sqrt(s / x.Length);
    }

    /// <summary>Largest absolute value.</summary>
    public static double Peak(ReadOnlySpan<double> x)
    {
        CheckSignal(x);
        double m = 0;
        foreach (var v in x) m = Math.Max(m, Math.Abs(v));
        return m;
    }

    /// <summary>Peak / RMS (0 for an all-zero signal).</summary>
    public static double CrestFactor(ReadOnlySpan<double> x)
    {
        double r = Rms(x);
        return r > 0 ? Peak(x) / r : 0;
    }

    /// <summary>Kurtosis (1/N)Σ(x − μ)⁴/σ⁴ with the 1/N variance (not the excess kurtosis); 0 for a constant signal.</summary>
    public static double Kurtosis(ReadOnlySpan<double> x)
    {
        CheckSignal(x);
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double m2 = 0, m4 = 0;
        foreach (var v in x)
        {
            double d = (v - mean) * (v - mean);
            m2 += d;
            m4 += d * d;
        }
        m2 /= x.Length;
        m4 /= x.Length;
        return m2 > 0 ? m4 / (m2 * m2) : 0;
    }

    /// <summary>
    /// Sums of the one-sided power spectrum <paramref name="power"/> (N/2 + 1 bins of a window of
    /// <paramref name="length"/> samples) over the bands [e_b, e_{b+1}); the last band includes its upper edge.
    /// </summary>
    public static double[] BandPowers(IReadOnlyList<double> power, double sampleRate, int length, IReadOnlyList<double> edgesHz)
    {
        ArgumentNullException.ThrowIfNull(power);
        ArgumentNullException.ThrowIfNull(edgesHz);
        if (power.Count != length / 2 + 1) throw new ArgumentException($"A one-sided spectrum of {length} samples has {length / 2 + 1} bins, got {power.Count}.", nameof(power));
        if (edgesHz.Count < 2) throw new ArgumentException("At least two band edges are needed.", nameof(edgesHz));
        var sums = new double[edgesHz.Count - 1];
        for (int k = 0; k < power.Count; k++)
        {
            double f = k * sampleRate / length;
            for (int b = 0; b < sums.Length; b++)
            {
                bool last = b == sums.Length - 1;
                if (f >= edgesHz[b] && (f < edgesHz[b + 1] || (last && f <= edgesHz[b + 1]))) { sums[b] += power[k]; break; }
            }
        }
        return sums;
    }

    /// <summary>The largest entry of a one-sided spectrum within ±<paramref name="toleranceBins"/> of the bin nearest <paramref name="frequencyHz"/>.</summary>
    public static double AmplitudeNear(IReadOnlyList<double> spectrum, double sampleRate, int length, double frequencyHz, int toleranceBins)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        int centre = (int)Math.Round(frequencyHz * length / sampleRate);
        double best = 0;
        for (int k = Math.Max(0, centre - toleranceBins); k <= Math.Min(spectrum.Count - 1, centre + toleranceBins); k++) best = Math.Max(best, spectrum[k]);
        return best;
    }

    /// <summary>
    /// Log power spectrogram of a window, the input of the autoencoders: the window is cut into
    /// <paramref name="frames"/> frames of N/frames samples; each frame's one-sided power is summed over
    /// <paramref name="bands"/> equal bands up to the Nyquist frequency; entries are log10(power + 1e-12), laid
    /// out band-major ([band][frame], length bands·frames), i.e. channels = bands, time steps = frames.
    /// </summary>
    public static double[] LogSpectrogram(ReadOnlySpan<double> signal, int frames, int bands)
    {
        int n = signal.Length;
        if (frames < 1 || n % frames != 0) throw new ArgumentException($"{n} samples do not split into {frames} frames.", nameof(frames));
        Fourier.CheckPowerOfTwo(n / frames, nameof(frames));
        if (bands < 1 || bands > n / frames / 2) throw new ArgumentException($"Frames of {n / frames} samples have at most {n / frames / 2} bands, asked for {bands}.", nameof(bands));
        int len = n / frames;
        var edges = Enumerable.Range(0, bands + 1).Select(b => b * 0.5 / bands).ToArray();   // in units of f_s
        var result = new double[bands * frames];
        for (int f = 0; f < frames; f++)
        {
            var p = BandPowers(Fourier.Power(signal.Slice(f * len, len)), 1.0, len, edges);
            for (int b = 0; b < bands; b++) result[b * frames + f] = Math.Log10(p[b] + 1e-12);
        }
        return result;
    }

    /// <summary>A signal is not empty and finite: a NaN sample (a sensor dropout) made the crest factor and kurtosis 0 and the other features NaN.</summary>
    private static void CheckSignal(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) throw new ArgumentException("The signal is empty.", nameof(x));
        for (int i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i])) throw new ArgumentException($"The signal holds {x[i]} at sample {i}; features of a signal with NaN or infinite samples are undefined.", nameof(x));
    }
}
