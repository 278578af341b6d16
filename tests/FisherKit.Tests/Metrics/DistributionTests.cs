using FisherKit.Metrics.Regression;

namespace FisherKit.Tests.Metrics;

public class DistributionTests
{
    // Reference values from Python's math and statistics modules: reference_values.py in this folder.
    private static readonly (double x, double erf, double erfc)[] ErfReference =
    [
        (-6.0, -1.0, 2.0),
        (-3.2, -0.9999939742388483, 1.9999939742388482),
        (-1.0, -0.8427007929497149, 1.842700792949715),
        (-0.3, -0.3286267594591274, 1.3286267594591274),
        (0.0, 0.0, 1.0),
        (0.05, 0.05637197779701663, 0.9436280222029834),
        (0.7, 0.6778011938374184, 0.32219880616258156),
        (1.5, 0.9661051464753108, 0.033894853524689274),
        (2.4, 0.999311486103355, 0.0006885138966450789),
        (2.6, 0.9997639655834707, 0.00023603441652934908),
        (4.0, 0.9999999845827421, 1.541725790028002e-08),
        (5.5, 0.9999999999999927, 7.357847917974398e-15),
        (8.0, 1.0, 1.1224297172982928e-29),
    ];

    private static readonly (double p, double q)[] QuantileReference =
    [
        (1e-10, -6.361340902404056),
        (0.0001, -3.71901648545568),
        (0.01, -2.3263478740408408),
        (0.025, -1.9599639845400538),
        (0.1, -1.2815515655446008),
        (0.3, -0.5244005127080407),
        (0.5, 0.0),
        (0.6827, 0.4752623375152984),
        (0.9, 1.2815515655446008),
        (0.975, 1.9599639845400536),
        (0.999, 3.090232306167813),
        (0.999999999, 5.997807019601638),
    ];

    private static readonly (double x, double lgamma)[] LogGammaReference =
    [
        (0.1, 2.2527126517342055),
        (0.5, 0.5723649429247004),
        (1.0, 0.0),
        (1.5, -0.12078223763524543),
        (2.0, 0.0),
        (3.7, 1.4280723266653883),
        (10.0, 12.801827480081467),
        (55.5, 166.32150615984034),
        (170.2, 702.4639526315309),
    ];

    [Fact]
    public void Erf_and_erfc_match_the_python_standard_library_with_relative_precision()
    {
        foreach (var (x, erf, erfc) in ErfReference)
        {
            Assert.True(Math.Abs(NormalDistribution.Erf(x) - erf) <= 2e-15 * Math.Max(1, Math.Abs(erf)), $"erf({x}) = {NormalDistribution.Erf(x)}, expected {erf}");
            Assert.True(Math.Abs(NormalDistribution.Erfc(x) - erfc) <= 1e-13 * Math.Abs(erfc) + 1e-300, $"erfc({x}) = {NormalDistribution.Erfc(x)}, expected {erfc}");
        }
    }

    [Fact]
    public void Normal_quantile_matches_the_python_standard_library_and_inverts_the_cdf()
    {
        foreach (var (p, q) in QuantileReference)
        {
            var got = NormalDistribution.Quantile(p);
            Assert.True(Math.Abs(got - q) <= 1e-12 * Math.Max(1, Math.Abs(q)), $"Φ⁻¹({p}) = {got}, expected {q}");
        }
        foreach (var p in new[] { 1e-300, 1e-20, 0.2, 0.77 })
            Assert.Equal(1, NormalDistribution.Cdf(NormalDistribution.Quantile(p)) / p, 10);
    }

    [Fact]
    public void Normal_cdf_equals_a_numerical_integral_of_the_density()
    {
        foreach (var x in new[] { -2.7, -0.4, 0.9, 3.1 })
        {
            double integral = 0.5 + Simpson(NormalDistribution.Pdf, 0, x, 4000);
            Assert.Equal(integral, NormalDistribution.Cdf(x), 12);
        }
    }

    [Fact]
    public void Coverage_factor_and_level_are_inverse_and_give_the_known_k_for_95_percent()
    {
        Assert.Equal(1.9599639845400536, NormalDistribution.CoverageFactor(0.95), 13);
        // k = 1, 2, 3 ↔ erf(k/√2), cross-checked with the python reference erf at 1/√2 multiples would need new values,
        // so check the identity level(k) = Φ(k) − Φ(−k) and the round trip instead.
        foreach (var k in new[] { 1.0, 2.0, 3.0 })
        {
            Assert.Equal(NormalDistribution.Cdf(k) - NormalDistribution.Cdf(-k), NormalDistribution.CoverageLevel(k), 14);
            Assert.Equal(k, NormalDistribution.CoverageFactor(NormalDistribution.CoverageLevel(k)), 10);
        }
    }

    [Fact]
    public void Log_gamma_matches_the_python_standard_library()
    {
        foreach (var (x, lg) in LogGammaReference)
            Assert.True(Math.Abs(SpecialFunctions.LogGamma(x) - lg) <= 1e-12 * Math.Max(1, Math.Abs(lg)), $"lgamma({x}) = {SpecialFunctions.LogGamma(x)}, expected {lg}");
    }

    [Fact]
    public void Student_t_cdf_matches_the_closed_forms_for_one_and_two_degrees_of_freedom()
    {
        foreach (var t in new[] { -30.0, -2.5, -0.3, 0.0, 0.8, 4.0, 100.0 })
        {
            Assert.Equal(0.5 + Math.Atan(t) / Math.PI, StudentTDistribution.Cdf(t, 1), 13);
            Assert.Equal(0.5 + t / (2 * Math.Sqrt(2 + t * t)), StudentTDistribution.Cdf(t, 2), 13);
        }
    }

    [Fact]
    public void Student_t_cdf_equals_a_numerical_integral_of_its_density()
    {
        foreach (var nu in new[] { 3.0, 5.5, 30.0 })
            foreach (var t in new[] { -3.0, 0.7, 2.2 })
            {
                double integral = 0.5 + Simpson(x => StudentTDistribution.Pdf(x, nu), 0, t, 4000);
                Assert.Equal(integral, StudentTDistribution.Cdf(t, nu), 11);
            }
    }

    [Fact]
    public void Student_t_quantile_inverts_the_cdf_and_tends_to_the_normal_one()
    {
        foreach (var nu in new[] { 1.0, 2.0, 4.0, 9.5, 200.0 })
            foreach (var p in new[] { 0.001, 0.025, 0.4, 0.975 })
                Assert.Equal(p, StudentTDistribution.Cdf(StudentTDistribution.Quantile(p, nu), nu), 11);
        // ν = 2 has the closed-form quantile t = (2p − 1)·√(2/(4p(1−p))).
        double pp = 0.975;
        Assert.Equal((2 * pp - 1) * Math.Sqrt(2 / (4 * pp * (1 - pp))), StudentTDistribution.Quantile(pp, 2), 10);
        Assert.Equal(NormalDistribution.Quantile(0.975), StudentTDistribution.Quantile(0.975, 1e7), 5);
    }

    // Student's t at 50 digits with mpmath (student_t_reference.py in this folder): ν, t, F(−t), f(t).
    private static readonly (double nu, double t, double lowerTail, double pdf)[] StudentTReference =
    [
        (3.5, 0.5, 0.3234252196612755, 0.3183169953147698),
        (3.5, 1.96, 0.06581128650636289, 0.07021033772018391),
        (3.5, 4.0, 0.010460308182701862, 0.007795649481478041),
        (3.5, 8.0, 0.0011386632223602399, 0.00047697617907382515),
        (30.0, 0.5, 0.31036150244256366, 0.34787857969720454),
        (30.0, 1.96, 0.029671156448025236, 0.061119852876620834),
        (30.0, 4.0, 0.00019092281804187843, 0.0005247164401974079),
        (30.0, 8.0, 3.1329112378503795e-09, 8.113146755218015e-09),
        (1000.0, 0.5, 0.3085925404169374, 0.351938830615914),
        (1000.0, 1.96, 0.025136592477874357, 0.05852942836149374),
        (1000.0, 4.0, 3.400495960439079e-05, 0.0001414166888170186),
        (1000.0, 8.0, 1.7133307411957373e-15, 1.3077258203170595e-14),
        (100000.0, 0.5, 0.308538088827209, 0.35206406153226333),
        (100000.0, 1.96, 0.024999281597150817, 0.05844183183316435),
        (100000.0, 4.0, 3.169399877859767e-05, 0.00013390484863400854),
        (100000.0, 8.0, 6.286959938128186e-16, 5.102604507362149e-15),
        (1000000.0, 0.5, 0.30853759373618567, 0.35206520024085),
        (1000000.0, 1.96, 0.024998033792634895, 0.05844103308584548),
        (1000000.0, 4.0, 3.167351700502405e-05, 0.00013383768692515205),
        (1000000.0, 8.0, 6.22753171660126e-16, 5.057283943064742e-15),
        (9900000.0, 0.5, 0.3085375442825734, 0.3520653139841506),
        (9900000.0, 1.96, 0.024997909152701916, 0.05844095329836419),
        (9900000.0, 4.0, 3.1671471643190956e-05, 0.00013383097940607028),
        (9900000.0, 8.0, 6.221624036346276e-16, 5.052777226875443e-15),
        (10000000.0, 0.5, 0.3085375442270075, 0.3520653141119521),
        (10000000.0, 1.96, 0.024997909012657093, 0.05844095320871509),
        (10000000.0, 4.0, 3.167146934508438e-05, 0.00013383097186964578),
        (10000000.0, 8.0, 6.221617401403393e-16, 5.052772165212847e-15),
        (100000000.0, 0.5, 0.30853753927608896, 0.3520653254990647),
        (100000000.0, 1.96, 0.02499789653466405, 0.05844094522097806),
        (100000000.0, 4.0, 3.167126458426411e-05, 0.00013383030037524875),
        (100000000.0, 8.0, 6.22102625411477e-16, 5.05232118966227e-15),
        (10000000000.0, 0.5, 0.3085375387314879, 0.35206532675164715),
        (10000000000.0, 1.96, 0.02499789516208487, 0.058440944342326724),
        (10000000000.0, 4.0, 3.167124206063131e-05, 0.00013383022651098885),
        (10000000000.0, 8.0, 6.220961231067057e-16, 5.0522715845959e-15),
        (1000000000000.0, 0.5, 0.3085375387260419, 0.35206532676417296),
        (1000000000000.0, 1.96, 0.024997895148359078, 0.05844094433354021),
        (1000000000000.0, 4.0, 3.1671241835395034e-05, 0.00013383022577234639),
        (1000000000000.0, 8.0, 6.220960580839736e-16, 5.0522710885474824e-15),
        (1000000000000000.0, 0.5, 0.30853753872598694, 0.35206532676429936),
        (1000000000000000.0, 1.96, 0.024997895148220574, 0.058440944333451546),
        (1000000000000000.0, 4.0, 3.1671241833122194e-05, 0.00013383022576489282),
        (1000000000000000.0, 8.0, 6.220960574278352e-16, 5.052271083541903e-15),
    ];

    // ν, p, F⁻¹(p).
    private static readonly (double nu, double p, double quantile)[] StudentTQuantileReference =
    [
        (3.5, 0.025, -2.94008863798273),
        (3.5, 1e-08, -227.63252929063395),
        (30.0, 0.025, -2.042272456301238),
        (30.0, 1e-08, -7.556534651885402),
        (1000.0, 0.025, -1.9623390808264085),
        (1000.0, 1e-08, -5.657912337679106),
        (100000.0, 0.025, -1.9599877075346097),
        (100000.0, 1e-08, -5.612457174881714),
        (1000000.0, 0.025, -1.959966356814107),
        (1000000.0, 1e-08, -5.6120468343692815),
        (9900000.0, 0.025, -1.9599642241634396),
        (9900000.0, 1e-08, -5.6120058492159215),
        (10000000.0, 0.025, -1.9599642217672055),
        (10000000.0, 1e-08, -5.612005803165477),
        (100000000.0, 0.025, -1.9599640082627667),
        (100000000.0, 1e-08, -5.61200170007357),
        (10000000000.0, 0.025, -1.9599639847772814),
        (10000000000.0, 1e-08, -5.612001248733776),
        (1000000000000.0, 0.025, -1.9599639845424266),
        (1000000000000.0, 1e-08, -5.612001244220378),
        (1000000000000000.0, 0.025, -1.9599639845400567),
        (1000000000000000.0, 1e-08, -5.612001244174834),
    ];

    [Fact]
    public void Student_t_matches_high_precision_values_up_to_huge_degrees_of_freedom()
    {
        // Welch–Satterthwaite gives huge ν where a type-B part (ν = ∞) dominates; ν ≥ 10⁶ lost up to 3·10⁻⁵
        // relative accuracy before (1 − x cancelling in the incomplete beta, log Γ of 10¹¹ differenced); 9.9·10⁶ is the
        // last ν of the incomplete-beta path, 10⁷ the first of the expansion.
        foreach (var (nu, t, lowerTail, pdf) in StudentTReference)
        {
            Assert.True(Math.Abs(StudentTDistribution.Cdf(-t, nu) / lowerTail - 1) < 1e-9, $"F(-{t}) at ν = {nu}: {StudentTDistribution.Cdf(-t, nu):R}, reference {lowerTail:R}");
            Assert.True(Math.Abs(StudentTDistribution.Pdf(t, nu) / pdf - 1) < 1e-9, $"f({t}) at ν = {nu}: {StudentTDistribution.Pdf(t, nu):R}, reference {pdf:R}");
        }
        foreach (var nu in new[] { 3.5, 150.0, 1e6, 1e12 })
        {
            Assert.Equal(0, StudentTDistribution.Pdf(double.PositiveInfinity, nu));
            Assert.Equal(0, StudentTDistribution.Pdf(1e200, nu));
            Assert.Equal(0, StudentTDistribution.Cdf(-1e200, nu));
            Assert.Equal(1, StudentTDistribution.Cdf(1e200, nu));
        }
        foreach (var (nu, p, quantile) in StudentTQuantileReference)
            Assert.True(Math.Abs(StudentTDistribution.Quantile(p, nu) / quantile - 1) < 1e-10, $"F⁻¹({p}) at ν = {nu}: {StudentTDistribution.Quantile(p, nu):R}, reference {quantile:R}");
    }

    [Fact]
    public void Wilson_interval_brackets_the_proportion_and_narrows_with_more_trials()
    {
        var small = BinomialInterval.Wilson(45, 50);
        var large = BinomialInterval.Wilson(4500, 5000);
        Assert.True(small.Lower < 0.9 && 0.9 < small.Upper);
        Assert.True(large.Upper - large.Lower < small.Upper - small.Lower);
        // Hand computation for 45/50 at 95 %: z = 1.95996, centre (0.9 + z²/100)/(1 + z²/50), half-width from the formula.
        double z = 1.9599639845400536, n = 50, p = 0.9;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
        Assert.Equal(centre - half, small.Lower, 12);
        Assert.Equal(centre + half, small.Upper, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.Wilson(6, 5));
    }

    internal static double Simpson(Func<double, double> f, double a, double b, int n)
    {
        if (n % 2 == 1) n++;
        double h = (b - a) / n, s = f(a) + f(b);
        for (int i = 1; i < n; i++) s += f(a + i * h) * (i % 2 == 1 ? 4 : 2);
        return s * h / 3;
    }
}
