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
    /// <exception cref="ArgumentException">A mask that does not broadcast to the values or holds values other than 0 and 1.</exception>
    public static double[] ToArray(Tensor values, Tensor? mask = null)
    {
        TensorChecks.Alive(values, nameof(values));
        if (mask is null)
        {
            using var d = values.detach();
            return d.ToDoubleArray();
        }
        using var scope = NewDisposeScope();
        return values.detach().masked_select(Selection(mask, values.shape, nameof(mask))).ToDoubleArray();
    }

    /// <summary>
    /// <paramref name="mask"/> (bool or 0/1) as a bool tensor expanded to <paramref name="shape"/> (a view), after checking
    /// that it broadcasts there (checked first: libtorch's expand fails with a native error that names neither tensor) and
    /// holds only 0 and 1 (a 2 is no weight: it would count like a 1).
    /// </summary>
    internal static Tensor Selection(Tensor mask, long[] shape, string name)
    {
        CheckMask(mask, name);
        var s = mask.shape;
        bool broadcasts = s.Length <= shape.Length;
        for (int i = 1; broadcasts && i <= s.Length; i++) broadcasts = s[^i] == 1 || s[^i] == shape[^i];
        if (!broadcasts)
            throw new ArgumentException($"The {name} of shape {TensorChecks.Shape(s)} does not broadcast to the values of shape {TensorChecks.Shape(shape)}.", name);
        return (mask.dtype == ScalarType.Bool ? mask : mask.ne(Hold(0))).expand(shape);
    }

    /// <summary>Throws unless <paramref name="mask"/> is a bool tensor or holds only the values 0 and 1.</summary>
    public static void CheckMask(Tensor mask, string name = "mask")
    {
        TensorChecks.Alive(mask, name);
        if (mask.dtype == ScalarType.Bool) return;
        using var scope = NewDisposeScope();
        if (!mask.eq(Hold(0)).logical_or(mask.eq(Hold(1))).all().item<bool>())
            throw new ArgumentException($"The {name} must be bool or hold only 0 and 1 (it selects, it does not weight); it holds other values (or NaN).", name);
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

    /// <summary>Throws unless truth, mean and (when given) the spread have one shape: flattened, [2, 3] and [3, 2] would pair the wrong elements.</summary>
    internal static void CheckSameShape(Tensor truth, Tensor mean, Tensor? spread = null, string spreadName = "std")
    {
        TensorChecks.Alive(truth, nameof(truth));
        TensorChecks.Alive(mean, nameof(mean));
        if (spread is not null) TensorChecks.Alive(spread, spreadName);
        if (!truth.shape.SequenceEqual(mean.shape) || (spread is not null && !truth.shape.SequenceEqual(spread.shape)))
            throw new ArgumentException($"truth {TensorChecks.Shape(truth)}, mean {TensorChecks.Shape(mean)}" +
                (spread is null ? "" : $" and {spreadName} {TensorChecks.Shape(spread)}") + " must have the same shape.", spread is null ? nameof(mean) : spreadName);
    }

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
