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
