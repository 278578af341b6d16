using System.Globalization;
using System.Text;

namespace FisherKit.Metrics.Regression;

/// <summary>The regression metrics of one method on one data set (see <see cref="RegressionMetrics.Evaluate(double[], double[], double[], double[])"/>).</summary>
/// <param name="Count">Number of points.</param>
/// <param name="Rmse">Root-mean-square error.</param>
/// <param name="MeanAbsoluteError">Mean absolute error.</param>
/// <param name="Nll">Mean Gaussian negative log-likelihood (NaN if some u = 0).</param>
/// <param name="Crps">Mean Gaussian CRPS.</param>
/// <param name="Coverage">Coverage at k = 1, 2, 3.</param>
/// <param name="Calibration">Calibration curve over the nominal levels.</param>
/// <param name="RmsUncertainty">√(mean u²).</param>
/// <param name="MeanIntervalWidth95">Mean width of the 95 % Gaussian interval.</param>
/// <param name="Correlation">Correlation of |error| and u.</param>
public sealed record RegressionReport(
    long Count, double Rmse, double MeanAbsoluteError, double Nll, double Crps,
    CoverageResult[] Coverage, CalibrationCurve Calibration, double RmsUncertainty,
    double MeanIntervalWidth95, ErrorUncertaintyCorrelation Correlation)
{
    /// <summary>Ratio of the RMS uncertainty to the RMSE (≈ 1 for honest error bars).</summary>
    public double UncertaintyToErrorRatio => RmsUncertainty / Rmse;

    /// <summary>Column names matching <see cref="Row"/>.</summary>
    public static string[] Columns =>
        ["n", "RMSE", "NLL", "CRPS", "cov k=1", "cov k=2", "cov k=3", "RMS u", "u/RMSE", "width 95%", "calib. err.", "corr(|e|,u)"];

    /// <summary>The metrics as one table row, for tables of several methods.</summary>
    public double[] Row =>
    [
        Count, Rmse, Nll, Crps, Coverage[0].Observed, Coverage[1].Observed, Coverage[2].Observed,
        RmsUncertainty, UncertaintyToErrorRatio, MeanIntervalWidth95, Calibration.MeanAbsoluteError, Correlation.Spearman,
    ];

    /// <summary>A multi-line summary.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"n = {Count}, RMSE = {Rmse:G4}, NLL = {Nll:G4}, CRPS = {Crps:G4}");
        sb.AppendLine(c, $"coverage: {string.Join("; ", Coverage.Select(x => x.ToString()))}");
        sb.AppendLine(c, $"RMS u = {RmsUncertainty:G4} (u/RMSE = {UncertaintyToErrorRatio:0.00}), mean 95 % width = {MeanIntervalWidth95:G4}");
        sb.Append(c, $"calibration error = {Calibration.MeanAbsoluteError:0.000}, corr(|e|, u): Pearson {Correlation.Pearson:0.00}, Spearman {Correlation.Spearman:0.00}");
        return sb.ToString();
    }
}
