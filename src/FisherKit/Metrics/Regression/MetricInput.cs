using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Metrics.Regression;

/// <summary>Checks shared by the regression metrics and conversion of tensors to plain arrays.</summary>
public static class MetricInput
{
    /// <summary>
    /// The elements of <paramref name="values"/> as doubles, row-major; with a
    /// <paramref name="mask"/> (bool or 0/1, broadcastable to the values) only the selected ones.
    /// </summary>
    public static double[] ToArray(Tensor values, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (mask is null)
        {
            using var d = values.detach();
            return d.ToDoubleArray();
        }
        using var scope = NewDisposeScope();
        var m = mask.dtype == ScalarType.Bool ? mask : mask.ne(Hold(0));
        Tensor full;
        try { full = m.expand(values.shape); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"The mask of shape {MetricInput.Shape(mask.shape)} does not broadcast to the values of shape {MetricInput.Shape(values.shape)}.", nameof(mask), e);
        }
        return values.detach().masked_select(full).ToDoubleArray();
    }

    /// <summary>True when any element is NaN or infinite (temporaries are disposed).</summary>
    internal static bool AnyNonFinite(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.isfinite().logical_not().any().item<bool>();
    }

    /// <summary>True when any element is negative (temporaries are disposed).</summary>
    internal static bool AnyNegative(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.lt(Hold(0)).any().item<bool>();
    }

    /// <summary>"[2, 3, 4]".</summary>
    internal static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    internal static int CheckPair(double[] truth, double[] prediction, string truthName = "truth", string predictionName = "mean")
    {
        ArgumentNullException.ThrowIfNull(truth, truthName);
        ArgumentNullException.ThrowIfNull(prediction, predictionName);
        if (truth.Length != prediction.Length)
            throw new ArgumentException($"{truthName} has {truth.Length} values but {predictionName} has {prediction.Length}; they must have equal lengths.", predictionName);
        if (truth.Length == 0) throw new ArgumentException($"{truthName} is empty; a metric needs at least one value.", truthName);
        CheckFinite(truth, truthName);
        CheckFinite(prediction, predictionName);
        return truth.Length;
    }

    internal static int CheckTriple(double[] truth, double[] mean, double[] spread, string spreadName, bool strictlyPositive = false)
    {
        int n = CheckPair(truth, mean);
        ArgumentNullException.ThrowIfNull(spread, spreadName);
        if (spread.Length != n)
            throw new ArgumentException($"truth has {n} values but {spreadName} has {spread.Length}; they must have equal lengths.", spreadName);
        CheckNonNegative(spread, spreadName, strictlyPositive);
        return n;
    }

    internal static void CheckFinite(double[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] is {values[i]}; metrics need finite values (NaN or infinity usually means a diverged prediction).", name);
    }

    internal static void CheckNonNegative(double[] values, string name, bool strictlyPositive)
    {
        for (int i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (double.IsNaN(v) || double.IsInfinity(v))
                throw new ArgumentException($"{name}[{i}] is {v}; uncertainties must be finite numbers.", name);
            if (v < 0) throw new ArgumentException($"{name}[{i}] = {v} is negative; standard uncertainties and variances must be non-negative.", name);
            if (strictlyPositive && v == 0) throw new ArgumentException($"{name}[{i}] is zero; this metric needs strictly positive uncertainties.", name);
        }
    }

    internal static void CheckLevel(double level, string name = "level")
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(name, level, "A coverage level must lie strictly between 0 and 1.");
    }
}
