using FisherKit.Metrics.Regression;

namespace FisherKit.Tests.Metrics;

public class GumStatementTests
{
    [Fact]
    public void Expanded_uncertainty_is_k_times_u_and_k_2_has_the_normal_level()
    {
        var s = GumStatement.WithCoverageFactor(10.0, 0.5, 2, unit: "nm");
        Assert.Equal(1.0, s.ExpandedUncertainty, 15);
        Assert.Equal(9.0, s.Lower, 15);
        Assert.Equal(NormalDistribution.Erf(Math.Sqrt(2)), s.Level, 14);
    }

    [Fact]
    public void A_level_with_finite_degrees_of_freedom_uses_the_t_quantile()
    {
        var s = GumStatement.WithLevel(1.0, 0.1, 0.95, degreesOfFreedom: 10);
        Assert.Equal(StudentTDistribution.Quantile(0.975, 10), s.CoverageFactor, 14);
        Assert.True(s.CoverageFactor > NormalDistribution.CoverageFactor(0.95));
        Assert.Equal(0.95, StudentTDistribution.CoverageLevel(s.CoverageFactor, 10), 12);
    }

    [Theory]
    [InlineData(0.0, 1.0, 4)]    // the t part alone: the t interval, u its standard deviation
    [InlineData(1.0, 1.0, 4)]
    [InlineData(0.5, 1.0, 4)]
    [InlineData(1.0, 0.5, 4)]
    [InlineData(0.05, 1.0, 4)]   // a narrow normal part: the other form of the integral
    [InlineData(1.0, 2.0, 9)]
    public void A_normal_plus_t_statement_covers_the_level_asked(double uN, double a, double nu)
    {
        var s = GumStatement.NormalPlusStudentT(5.0, uN, a, nu, 0.95, unit: "nm");
        Assert.Equal(Math.Sqrt(uN * uN + a * a * nu / (nu - 2)), s.StandardUncertainty, 14);
        Assert.True(double.IsNaN(s.DegreesOfFreedom));
        Assert.DoesNotContain("ν_eff", s.ToString());
        // Coverage of y ± U for the error N(0, uN²) + a·t_ν, by Monte Carlo (2·10⁶ draws: standard error 1.5·10⁻⁴).
        Assert.Equal(0.95, Coverage(s.ExpandedUncertainty, uN, a, nu, seed: 7), 0.0008);
        if (uN == 0) Assert.Equal(a * StudentTDistribution.CoverageFactor(0.95, nu), s.ExpandedUncertainty, 12);
    }

    [Fact]
    public void Counting_the_t_tail_twice_overstates_the_coverage()
    {
        // The t part's standard deviation in u and the t quantile in k: P(|t₄| ≤ 2.776·√2) = 98.3 %, not 95 %.
        double twice = StudentTDistribution.CoverageFactor(0.95, 4) * Math.Sqrt(StudentTDistribution.Variance(4));
        Assert.Equal(0.983, Coverage(twice, 0, 1, 4, seed: 8), 0.001);
        Assert.Equal(0.983, StudentTDistribution.CoverageLevel(twice, 4), 0.0005);
    }

    [Fact]
    public void A_normal_plus_t_statement_checks_its_arguments()
    {
        var normal = GumStatement.NormalPlusStudentT(1.0, 0.3, 0.0, 4);
        Assert.Equal(NormalDistribution.CoverageFactor(0.95), normal.CoverageFactor, 12);
        Assert.Contains("more than 2 degrees", Assert.Throws<ArgumentOutOfRangeException>(() => GumStatement.NormalPlusStudentT(1.0, 0.3, 0.1, 2)).Message);
        Assert.Throws<ArgumentException>(() => GumStatement.NormalPlusStudentT(1.0, -0.3, 0.1, 4));
        Assert.Throws<ArgumentException>(() => GumStatement.NormalPlusStudentT(1.0, 0.3, double.NaN, 4));
    }

    [Fact]
    public void Infinitely_many_degrees_of_freedom_make_the_t_part_normal()
    {
        // ν = ∞: the sum of two normals, u = √(σ² + a²) and U from the normal quantile (ν/(ν − 2) gave ∞/∞ = NaN).
        var s = GumStatement.NormalPlusStudentT(0, 1, 1, double.PositiveInfinity);
        Assert.Equal(Math.Sqrt(2), s.StandardUncertainty, 14);
        Assert.Equal(NormalDistribution.CoverageFactor(0.95), s.CoverageFactor, 12);
        Assert.Equal(0.95, s.Level);
        var t = GumStatement.NormalPlusStudentT(0, 0, 0.5, double.PositiveInfinity, 0.9);
        Assert.Equal(0.5, t.StandardUncertainty, 14);
        Assert.Equal(NormalDistribution.CoverageFactor(0.9) * 0.5, t.ExpandedUncertainty, 12);
        // The coverage helper: the normal closed form, and the t form approaches it for large ν.
        double half = 1.96 * Math.Sqrt(0.3 * 0.3 + 0.4 * 0.4);
        Assert.Equal(2 * NormalDistribution.Cdf(1.96) - 1, GumStatement.NormalPlusStudentTLevel(half, 0.3, 0.4, double.PositiveInfinity), 14);
        Assert.Equal(2 * NormalDistribution.Cdf(1.96) - 1, GumStatement.NormalPlusStudentTLevel(half, 0.3, 0.4, 1e4), 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => GumStatement.NormalPlusStudentTLevel(half, 0.3, 0.4, 2));
        Assert.Throws<ArgumentException>(() => GumStatement.NormalPlusStudentTLevel(half, 0, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => GumStatement.NormalPlusStudentTLevel(double.NaN, 0.3, 0.4, 5));
    }

    private static double Coverage(double halfWidth, double uN, double a, double nu, int seed)
    {
        var random = new Random(seed);
        const int draws = 2_000_000;
        int inside = 0;
        for (int i = 0; i < draws; i++)
        {
            double chi2 = 0;
            for (int j = 0; j < (int)nu; j++) { double z = random.NextNormal(); chi2 += z * z; }
            double error = uN * random.NextNormal() + a * random.NextNormal() / Math.Sqrt(chi2 / nu);
            if (Math.Abs(error) <= halfWidth) inside++;
        }
        return inside / (double)draws;
    }

    [Fact]
    public void The_statement_rounds_to_two_significant_digits_of_the_uncertainty()
    {
        var s = GumStatement.WithCoverageFactor(12.34567, 0.01234, 2, unit: "nm");
        Assert.Equal("y = 12.346 nm, u = 0.012 nm; U = 0.025 nm (k = 2.00, coverage probability ≈ 95.4 %)", s.ToString());
        Assert.Equal(-1, GumStatement.DecimalsForTwoSignificantDigits(123));
        Assert.Equal(2, GumStatement.DecimalsForTwoSignificantDigits(0.25));
    }

    [Fact]
    public void Invalid_statements_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => GumStatement.WithCoverageFactor(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => GumStatement.WithCoverageFactor(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GumStatement.WithLevel(1, 1, 1.5));
    }
}
