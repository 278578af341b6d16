namespace FisherKit.Detection;

/// <summary>Display names and formulas of <see cref="SampleMeasure"/>.</summary>
internal static class MeasureNames
{
    internal static string Of(SampleMeasure m) => m switch
    {
        SampleMeasure.MutualInformation => "mutual information",
        SampleMeasure.PredictiveEntropy => "predictive entropy",
        SampleMeasure.VariationRatio => "variation ratio",
        SampleMeasure.MeanStandardDeviation => "mean std",
        _ => m.ToString(),
    };

    /// <summary>The formula with S samples indexed by s (MC dropout) or M members indexed by m (ensembles).</summary>
    internal static string Formula(SampleMeasure measure, bool ensemble)
    {
        var (n, i) = ensemble ? ("M", "ₘ") : ("S", "ₛ");
        var sup = ensemble ? "⁽ᵐ⁾" : "⁽ˢ⁾";
        return measure switch
        {
            SampleMeasure.MutualInformation => $"s(x) = H(p̄) − (1/{n}) Σ{i} H(p{sup})",
            SampleMeasure.PredictiveEntropy => $"s(x) = H(p̄), p̄ = (1/{n}) Σ{i} p{sup}",
            SampleMeasure.VariationRatio => $"s(x) = 1 − (votes for the modal class)/{n}",
            SampleMeasure.MeanStandardDeviation => $"s(x) = (1/C) Σ_c std{i}(p_c{sup})",
            _ => measure.ToString(),
        };
    }
}
