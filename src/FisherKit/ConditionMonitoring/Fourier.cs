namespace FisherKit.ConditionMonitoring;

/// <summary>
/// The discrete Fourier transform of real signals in float64, for condition features: an in-place radix-2
/// FFT (X_k = Σ_n x_n e^{−2πikn/N}, the inverse with e^{+…}/N), the one-sided power of a signal and its
/// analytic envelope. Lengths must be powers of two.
/// </summary>
public static class Fourier
{
    /// <summary>
    /// In-place FFT of the complex sequence (<paramref name="re"/>, <paramref name="im"/>); with
    /// <paramref name="inverse"/> the inverse transform, including the factor 1/N.
    /// </summary>
    public static void Transform(double[] re, double[] im, bool inverse = false)
    {
        ArgumentNullException.ThrowIfNull(re);
        ArgumentNullException.ThrowIfNull(im);
        int n = re.Length;
        if (im.Length != n) throw new ArgumentException($"Real part has {n} values, imaginary part {im.Length}.", nameof(im));
        CheckPowerOfTwo(n, nameof(re));
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1)
        {
            double angle = sign * 2 * Math.PI / len;
            for (int start = 0; start < n; start += len)
            {
                for (int k = 0; k < len / 2; k++)
                {
                    double wr = Math.Cos(angle * k), wi = Math.Sin(angle * k);
                    int a = start + k, b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                }
            }
        }
        if (inverse)
            for (int i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
    }

    /// <summary>
    /// One-sided power spectrum P_k, k = 0 … N/2, normalised so that Σ_k P_k equals the mean square
    /// (1/N)Σ x_n² (Parseval): P_0 = |X_0|²/N², P_k = 2|X_k|²/N² for 0 &lt; k &lt; N/2, P_{N/2} = |X_{N/2}|²/N².
    /// Bin k lies at frequency k·f_s/N.
    /// </summary>
    public static double[] Power(ReadOnlySpan<double> signal)
    {
        int n = signal.Length;
        CheckPowerOfTwo(n, nameof(signal));
        var re = signal.ToArray();
        var im = new double[n];
        Transform(re, im);
        var p = new double[n / 2 + 1];
        double n2 = (double)n * n;
        for (int k = 0; k <= n / 2; k++)
            p[k] = (k == 0 || k == n / 2 ? 1 : 2) * (re[k] * re[k] + im[k] * im[k]) / n2;
        return p;
    }

    /// <summary>
    /// Envelope |a(t)| of the analytic signal of <paramref name="signal"/> band-passed to
    /// [<paramref name="lowHz"/>, <paramref name="highHz"/>]: the FFT is kept on the band's positive
    /// frequencies only, doubled, and transformed back (band-pass and Hilbert transform in one step). For
    /// x = A(t)·cos(2πf_c t) with A slow and f_c inside the band, the envelope is A(t).
    /// </summary>
    public static double[] Envelope(ReadOnlySpan<double> signal, double sampleRate, double lowHz, double highHz)
    {
        int n = signal.Length;
        CheckPowerOfTwo(n, nameof(signal));
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sampling rate must be positive.");
        if (!(lowHz >= 0 && highHz > lowHz)) throw new ArgumentException($"The envelope band [{lowHz}, {highHz}] Hz is empty.", nameof(highHz));
        var re = signal.ToArray();
        var im = new double[n];
        Transform(re, im);
        for (int k = 0; k < n; k++)
        {
            double f = k * sampleRate / n;
            bool keep = k > 0 && k < n / 2 && f >= lowHz && f <= highHz;
            double factor = keep ? 2 : 0;
            re[k] *= factor;
            im[k] *= factor;
        }
        Transform(re, im, inverse: true);
        var env = new double[n];
        for (int i = 0; i < n; i++) env[i] = Math.Sqrt(re[i] * re[i] + im[i] * im[i]);
        return env;
    }

    /// <summary>
    /// One-sided amplitude spectrum of the mean-removed <paramref name="signal"/>: a_k = 2|X_k|/N for
    /// 0 &lt; k &lt; N/2 (a_0 = 0), so a sinusoid of amplitude A on bin k shows as a_k = A.
    /// </summary>
    public static double[] Amplitude(ReadOnlySpan<double> signal)
    {
        int n = signal.Length;
        CheckPowerOfTwo(n, nameof(signal));
        double mean = 0;
        foreach (var v in signal) mean += v;
        mean /= n;
        var re = new double[n];
        for (int i = 0; i < n; i++) re[i] = signal[i] - mean;
        var im = new double[n];
        Transform(re, im);
        var a = new double[n / 2 + 1];
        for (int k = 1; k < n / 2; k++) a[k] = 2 * Math.Sqrt(re[k] * re[k] + im[k] * im[k]) / n;
        return a;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="n"/> is a power of two ≥ 2.</summary>
    internal static void CheckPowerOfTwo(int n, string name)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentException($"The signal length must be a power of two (at least 2), got {n}.", name);
    }
}
