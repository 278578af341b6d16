using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// Affine standardisation of inputs (per column) and targets, fitted on the training data: the networks see
/// (x − m_x)/s_x and (y − m_y)/s_y; predictions are turned back into the data's units. σ_x given in data units
/// becomes σ_x/s_x in network units.
/// </summary>
/// <param name="InputMean">m_x per input.</param>
/// <param name="InputStd">s_x per input (1 for a constant column).</param>
/// <param name="TargetMean">m_y.</param>
/// <param name="TargetStd">s_y (1 for constant targets).</param>
public sealed record Standardization(double[] InputMean, double[] InputStd, double TargetMean, double TargetStd)
{
    /// <summary>Fits the standardisation to inputs [N, d] and targets [N].</summary>
    /// <exception cref="ArgumentException">Shapes that do not match, fewer than 2 points, or non-finite values.</exception>
    public static Standardization Fit(Tensor inputs, Tensor targets)
    {
        CheckData(inputs, targets);
        using var x64 = inputs.to(ScalarType.Float64);
        using var y64 = targets.to(ScalarType.Float64);
        var x = x64.data<double>().ToArray();
        var y = y64.data<double>().ToArray();
        int n = y.Length, d = (int)inputs.shape[1];
        var m = new double[d];
        var s = new double[d];
        for (int j = 0; j < d; j++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += x[i * d + j];
            mean /= n;
            double v = 0;
            for (int i = 0; i < n; i++) v += Math.Pow(x[i * d + j] - mean, 2);
            double sd = Math.Sqrt(v / (n - 1));
            m[j] = mean;
            s[j] = sd > 1e-12 ? sd : 1;
        }
        double my = y.Average();
        double sy = Math.Sqrt(y.Sum(v => (v - my) * (v - my)) / (n - 1));
        return new Standardization(m, s, my, sy > 1e-12 ? sy : 1);
    }

    /// <summary>Checks inputs [N, d] and targets [N] (or [N, 1]) of a regression data set.</summary>
    public static void CheckData(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.ndim != 2) throw new ArgumentException($"The inputs must be [N, d], got {TensorChecks.Shape(inputs.shape)}.", nameof(inputs));
        long n = inputs.shape[0];
        // One target per input, by shape: [N/2, 2] holds N values too, but pairs them with the wrong inputs.
        bool oneColumn = targets.ndim == 1 || (targets.ndim == 2 && targets.shape[1] == 1);
        if (!oneColumn || targets.shape[0] != n)
            throw new ArgumentException($"{n} inputs need targets [{n}] or [{n}, 1], got {TensorChecks.Shape(targets.shape)}.", nameof(targets));
        if (inputs.shape[0] < 2) throw new ArgumentException("At least two training points are needed.", nameof(inputs));
        TensorChecks.Finite(inputs, nameof(inputs));
        TensorChecks.Finite(targets, nameof(targets));
    }

    /// <summary>Standardised inputs [N, d] as float32 (a new tensor, detached from any autograd graph).</summary>
    /// <exception cref="ArgumentException">Inputs of another shape, or with NaN or infinite values.</exception>
    public Tensor Inputs(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.ndim != 2 || inputs.shape[1] != InputMean.Length)
            throw new ArgumentException($"Inputs must be [N, {InputMean.Length}], got {TensorChecks.Shape(inputs.shape)}.", nameof(inputs));
        // Checked here, before any network sees them: a NaN input would otherwise surface as a NaN prediction.
        TensorChecks.Finite(inputs, nameof(inputs));
        using var scope = NewDisposeScope();
        var m = tensor(InputMean);
        var s = tensor(InputStd);
        // Detached: training and prediction must not join (and later backpropagate through) the caller's graph.
        return scope.MoveToOuter(((inputs.detach().to(ScalarType.Float64) - m) / s).to(ScalarType.Float32));
    }

    /// <summary>Standardised targets [N] as float32 (a new tensor).</summary>
    public Tensor Targets(Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(((targets.detach().to(ScalarType.Float64).reshape(-1) - Hold(TargetMean)) / Hold(TargetStd)).to(ScalarType.Float32));
    }

    /// <summary>σ_x in data units (one value or one per input) as σ_x/s_x per input in network units.</summary>
    public double[] InputNoise(double[]? sigmaX)
    {
        var s = Benchmark.BenchmarkProblem.InputNoise(sigmaX, InputMean.Length);
        return s.Select((v, j) => v / InputStd[j]).ToArray();
    }
}
