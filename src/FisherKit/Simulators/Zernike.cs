using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// Zernike polynomials on the unit disk, normalised as in Noll (1976) so that they are orthonormal
/// with respect to the mean over the disk: (1/π)∫∫_{ρ≤1} Z_i Z_j ρ dρ dθ = δ_ij.
/// </summary>
/// <remarks>
/// Z_n^m(ρ, θ) = N_n^m · R_n^{|m|}(ρ) · {cos(mθ) for m &gt; 0; sin(|m|θ) for m &lt; 0; 1 for m = 0},
/// with N_n^m = √(2(n+1)) for m ≠ 0 and √(n+1) for m = 0, and the radial polynomial
/// R_n^m(ρ) = Σ_{k=0}^{(n−m)/2} (−1)^k (n−k)! / (k! ((n+m)/2−k)! ((n−m)/2−k)!) ρ^{n−2k}.
/// θ is measured from the x axis towards the y axis. Because the basis is orthonormal, the RMS of a
/// surface Σ c_j Z_j over the disk is √(Σ c_j²).
/// </remarks>
public static class Zernike
{
    /// <summary>The radial polynomial R_n^m(ρ) for m ≥ 0 (zero if n − m is odd): the explicit sum up to order 10, the Jacobi recurrence above.</summary>
    public static double Radial(int n, int m, double rho)
    {
        m = Math.Abs(m);
        if (n < 0 || m > n) throw new ArgumentException($"Radial polynomial R_n^m needs 0 <= m <= n, got n = {n}, m = {m}.");
        if ((n - m) % 2 != 0) return 0;
        if (n > ExplicitSumMaxOrder) return RadialByRecurrence(n, m, rho);
        double sum = 0;
        for (int k = 0; k <= (n - m) / 2; k++)
        {
            double c = Factorial(n - k) / (Factorial(k) * Factorial((n + m) / 2 - k) * Factorial((n - m) / 2 - k));
            sum += (k % 2 == 0 ? c : -c) * Math.Pow(rho, n - 2 * k);
        }
        return sum;
    }

    /// <summary>
    /// Orders up to this one use the explicit sum (error below 1e-13 there); it loses digits to the cancellation of
    /// its alternating terms as n grows (1e-5 at n = 32, 0.01 at 40, values of order 50 at 50, where |R| ≤ 1), so
    /// higher orders use the Jacobi recurrence. The low orders keep the sum so simulated data, and the cache keys
    /// built from its fingerprints, stay the same to the bit.
    /// </summary>
    private const int ExplicitSumMaxOrder = 10;

    /// <summary>
    /// R_n^m(ρ) = (−1)^s ρ^m P_s^(m,0)(1 − 2ρ²), s = (n − m)/2, with the Jacobi polynomial from its three-term
    /// recurrence (accurate to about 1e-14 for n up to 100 on the disk, checked against exact rational arithmetic).
    /// </summary>
    private static double RadialByRecurrence(int n, int m, double rho)
    {
        int s = (n - m) / 2;
        double x = 1 - 2 * rho * rho, previous = 1, p = s == 0 ? 1 : (m + 1) + (m + 2) * (x - 1) / 2;
        for (int k = 2; k <= s; k++)
        {
            double a = 2.0 * k * (k + m) * (2 * k + m - 2);
            double b = (2.0 * k + m - 1) * ((2.0 * k + m) * (2 * k + m - 2) * x + (double)m * m);
            double c = 2.0 * (k + m - 1) * (k - 1) * (2 * k + m);
            (previous, p) = (p, (b * p - c * previous) / a);
        }
        return (s % 2 == 0 ? 1 : -1) * Math.Pow(rho, m) * p;
    }

    /// <summary>The normalisation N_n^m = √((2 − δ_{m0})(n+1)).</summary>
    public static double Normalisation(ZernikeMode mode) => Math.Sqrt((mode.M == 0 ? 1.0 : 2.0) * (mode.N + 1));

    /// <summary>Z_n^m at polar coordinates (ρ, θ) (defined for any ρ; the disk is ρ ≤ 1).</summary>
    public static double Value(ZernikeMode mode, double rho, double theta)
    {
        double r = Normalisation(mode) * Radial(mode.N, mode.M, rho);
        return mode.M > 0 ? r * Math.Cos(mode.M * theta) : mode.M < 0 ? r * Math.Sin(-mode.M * theta) : r;
    }

    /// <summary>Z_n^m at Cartesian coordinates (x, y).</summary>
    public static double ValueXY(ZernikeMode mode, double x, double y) => Value(mode, Math.Sqrt(x * x + y * y), Math.Atan2(y, x));

    /// <summary>The highest radial order <see cref="Modes"/> lists (the count of modes grows as n²/2; above 65 535 it passed int.MaxValue).</summary>
    public const int MaxOrder = 1000;

    /// <summary>
    /// The modes with indices <paramref name="first"/> … up to and including radial order
    /// <paramref name="maxOrder"/>, listed by index in the given convention. With Noll indexing
    /// the default first = 4 leaves out piston and tilts, which alignment removes in form measurement.
    /// </summary>
    public static ZernikeMode[] Modes(int maxOrder, int first = 4, ZernikeIndexing indexing = ZernikeIndexing.Noll)
    {
        if (maxOrder < 0 || maxOrder > MaxOrder) throw new ArgumentOutOfRangeException(nameof(maxOrder), maxOrder, $"The maximum radial order must lie in [0, {MaxOrder}] ({MaxOrder} already means {(MaxOrder + 1) * (MaxOrder + 2) / 2} modes).");
        int count = (maxOrder + 1) * (maxOrder + 2) / 2; // modes up to order n
        int offset = indexing == ZernikeIndexing.Noll ? 1 : 0;
        if (first < offset || first >= count + offset)
            throw new ArgumentOutOfRangeException(nameof(first), first, $"The first index must lie in [{offset}, {count + offset - 1}] for order {maxOrder} with {indexing} indexing.");
        return Enumerable.Range(first, count + offset - first).Select(j => ZernikeMode.FromIndex(j, indexing)).ToArray();
    }

    /// <summary>
    /// The modes sampled at the pixel centres of <paramref name="grid"/>: a float64 tensor
    /// [K, N, N], zero outside the aperture.
    /// </summary>
    public static Tensor Basis(ApertureGrid grid, IReadOnlyList<ZernikeMode> modes)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(modes);
        if (modes.Count == 0) throw new ArgumentException("At least one Zernike mode is needed.", nameof(modes));
        int n = grid.Size;
        var data = new double[modes.Count * n * n];
        for (int k = 0; k < modes.Count; k++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double x = grid.Coordinate(j), y = grid.Coordinate(i);
                    double rho = Math.Sqrt(x * x + y * y);
                    if (rho <= 1) data[(k * n + i) * n + j] = Value(modes[k], rho, Math.Atan2(y, x));
                }
        return tensor(data, [modes.Count, n, n]);
    }

    private static double Factorial(int k)
    {
        double f = 1;
        for (int i = 2; i <= k; i++) f *= i;
        return f;
    }
}
