using FisherKit.Simulators;

namespace FisherKit.Tests.Simulators;

public class ZernikeTests
{
    [Fact]
    public void Noll_indices_follow_the_published_table()
    {
        // Noll (1976), Table 1: j = 1 … 15.
        (int n, int m)[] expected = [(0, 0), (1, 1), (1, -1), (2, 0), (2, -2), (2, 2), (3, -1), (3, 1), (3, -3), (3, 3), (4, 0), (4, 2), (4, -2), (4, 4), (4, -4)];
        for (int j = 1; j <= expected.Length; j++)
        {
            var mode = ZernikeMode.FromNoll(j);
            Assert.Equal(expected[j - 1], (mode.N, mode.M));
            Assert.Equal(j, mode.Noll);
        }
    }

    [Fact]
    public void Osa_indices_follow_the_ansi_formula_and_round_trip()
    {
        for (int j = 0; j < 120; j++)
        {
            var mode = ZernikeMode.FromOsa(j);
            Assert.Equal(j, (mode.N * (mode.N + 2) + mode.M) / 2);
            Assert.Equal(j, mode.Osa);
            Assert.Equal(mode, ZernikeMode.FromNoll(mode.Noll));
        }
        Assert.Equal((2, -2), (ZernikeMode.FromOsa(3).N, ZernikeMode.FromOsa(3).M));
        Assert.Throws<ArgumentException>(() => new ZernikeMode(3, 2));
    }

    [Fact]
    public async Task Indices_near_int_MaxValue_convert_without_overflow_or_hanging()
    {
        // FromOsa looped forever for j above 2^30 (n(n + 3) overflowed int), Noll and Osa of such modes overflowed,
        // and Zernike.Modes(70000) overflowed its count and exhausted memory.
        var osa = await Task.Run(() => ZernikeMode.FromOsa(2_000_000_000)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2_000_000_000, osa.Osa);
        Assert.Equal(int.MaxValue, ZernikeMode.FromOsa(int.MaxValue).Osa);
        Assert.Equal((65535, -1), (ZernikeMode.FromOsa(int.MaxValue).N, ZernikeMode.FromOsa(int.MaxValue).M));
        // Noll in closed form (a linear search over the order calling FromNoll took O(n²)): every index of orders up to 200
        // round-trips, and near int.MaxValue as fast; past it, an OverflowException as for Osa.
        for (int j = 1; j <= 201 * 202 / 2; j++) Assert.Equal(j, ZernikeMode.FromNoll(j).Noll);
        Assert.Equal(2_000_000_000, ZernikeMode.FromNoll(2_000_000_000).Noll);
        Assert.Equal(int.MaxValue, ZernikeMode.FromNoll(int.MaxValue).Noll);
        Assert.Throws<OverflowException>(() => new ZernikeMode(65535, 65535).Noll);
        Assert.Throws<ArgumentOutOfRangeException>(() => Zernike.Modes(70000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Zernike.Modes(Zernike.MaxOrder + 1));
    }

    [Fact]
    public void Radial_polynomials_match_their_closed_forms()
    {
        foreach (var r in new[] { 0.0, 0.3, 0.71, 1.0 })
        {
            Assert.Equal(6 * Math.Pow(r, 4) - 6 * r * r + 1, Zernike.Radial(4, 0, r), 13);
            Assert.Equal(3 * Math.Pow(r, 3) - 2 * r, Zernike.Radial(3, 1, r), 13);
            Assert.Equal(r * r, Zernike.Radial(2, 2, r), 14);
        }
        // Z_4 (defocus) = √3 (2ρ² − 1).
        Assert.Equal(Math.Sqrt(3) * (2 * 0.25 - 1), Zernike.Value(ZernikeMode.FromNoll(4), 0.5, 1.1), 14);
    }

    [Fact]
    public void High_order_radial_polynomials_match_exact_rational_arithmetic()
    {
        // The explicit sum lost digits to cancellation: 1e-5 off at n = 32, about 50 off at n = 50 (|R| <= 1 on the disk).
        foreach (int n in new[] { 11, 16, 24, 32, 40, 50, 60 })
            for (int m = n % 2; m <= n; m += 2)
                foreach (int tenths in new[] { 0, 3, 7, 9, 10, 13 })
                {
                    double exact = ExactRadial(n, m, tenths), got = Zernike.Radial(n, m, tenths / 10.0);
                    Assert.True(Math.Abs(got - exact) <= 1e-12 * Math.Max(1, Math.Abs(exact)), $"R_{n}^{m}({tenths / 10.0}) = {got}, exact {exact}");
                }
        // Orders up to 10 keep the explicit sum: the closed forms above to the last digits.
        Assert.Equal(924 * Math.Pow(0.3, 12) - 2772 * Math.Pow(0.3, 10) + 3150 * Math.Pow(0.3, 8) - 1680 * Math.Pow(0.3, 6) + 420 * Math.Pow(0.3, 4) - 42 * 0.09 + 1, Zernike.Radial(12, 0, 0.3), 13);
    }

    /// <summary>R_n^m(t/10) in exact integer arithmetic: Σ_k (−1)^k (n−k)!/(k!((n+m)/2−k)!((n−m)/2−k)!) t^(n−2k) 10^(2k), over 10^n.</summary>
    private static double ExactRadial(int n, int m, int tenths)
    {
        static System.Numerics.BigInteger F(int k) => Enumerable.Range(1, Math.Max(k, 0)).Aggregate(System.Numerics.BigInteger.One, (f, i) => f * i);
        var sum = System.Numerics.BigInteger.Zero;
        for (int k = 0; k <= (n - m) / 2; k++)
        {
            var c = F(n - k) / (F(k) * F((n + m) / 2 - k) * F((n - m) / 2 - k));
            var term = c * System.Numerics.BigInteger.Pow(tenths, n - 2 * k) * System.Numerics.BigInteger.Pow(10, 2 * k);
            sum += k % 2 == 0 ? term : -term;
        }
        var scaled = sum * System.Numerics.BigInteger.Pow(10, 30) / System.Numerics.BigInteger.Pow(10, n);
        return (double)scaled / 1e30;
    }

    [Fact]
    public void Zernike_polynomials_are_orthonormal_on_the_unit_disk()
    {
        // (1/π) ∫₀¹∫₀²π Z_i Z_j ρ dθ dρ by Gauss–Legendre in ρ (exact for these polynomial degrees)
        // and the trapezoid rule in θ (exact for trigonometric polynomials of degree < 64).
        var modes = Zernike.Modes(8, first: 1);
        var (nodes, weights) = GaussLegendre(16);
        const int nt = 64;
        int k = modes.Length;
        var gram = new double[k, k];
        for (int a = 0; a < nodes.Length; a++)
        {
            double rho = 0.5 * (nodes[a] + 1), wr = 0.5 * weights[a] * rho;
            for (int t = 0; t < nt; t++)
            {
                double theta = 2 * Math.PI * t / nt, w = wr * (2 * Math.PI / nt) / Math.PI;
                var v = modes.Select(m => Zernike.Value(m, rho, theta)).ToArray();
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++) gram[i, j] += w * v[i] * v[j];
            }
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                Assert.True(Math.Abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-12, $"Gram[{modes[i]}, {modes[j]}] = {gram[i, j]}");
    }

    [Fact]
    public void The_sampled_basis_is_nearly_orthonormal_over_the_aperture_pixels()
    {
        using var scope = NewDisposeScope();
        using var grid = new ApertureGrid(64);
        var modes = Zernike.Modes(4, first: 1);
        var z = Zernike.Basis(grid, modes).reshape(modes.Length, 64 * 64);
        var gram = z.matmul(z.t()) / grid.PixelCount;
        var err = (gram - eye(modes.Length, dtype: float64)).abs().max().ToDouble();
        Assert.True(err < 0.05, $"max |Gram − I| = {err}");
        // Outside the aperture the basis is zero.
        var outside = Zernike.Basis(grid, modes) * grid.Mask.logical_not();
        Assert.Equal(0.0, outside.abs().sum().ToDouble());
    }

    internal static (double[] nodes, double[] weights) GaussLegendre(int n)
    {
        var x = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), dp = 0;
            for (int it = 0; it < 100; it++)
            {
                double p0 = 1, p1 = z;
                for (int k = 2; k <= n; k++) { double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
                dp = n * (z * p1 - p0) / (z * z - 1);
                double dz = p1 / dp;
                z -= dz;
                if (Math.Abs(dz) < 1e-16) break;
            }
            x[i] = z;
            w[i] = 2 / ((1 - z * z) * dp * dp);
        }
        return (x, w);
    }
}
