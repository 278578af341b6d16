using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// A data set drawn from a <see cref="BenchmarkProblem"/>: inputs x [n, d], the true function values f(x) and the
/// noisy observations y = f(x) + ε, in float64. <see cref="NoisyInputs"/> holds x + ε_x when the set was drawn with
/// input noise (errors-in-variables), else the inputs themselves.
/// </summary>
/// <param name="Inputs">The true inputs x (ζ in the errors-in-variables notation), [n, d].</param>
/// <param name="NoisyInputs">The observed inputs x + ε_x, [n, d] (the same array when there is no input noise).</param>
/// <param name="Function">f(x) at the true inputs.</param>
/// <param name="Targets">y = f(x) + ε.</param>
public sealed record BenchmarkData(double[,] Inputs, double[,] NoisyInputs, double[] Function, double[] Targets)
{
    /// <summary>n.</summary>
    public int Count => Targets.Length;

    /// <summary>d.</summary>
    public int Dimension => Inputs.GetLength(1);

    /// <summary>Observed inputs [n, d] and targets [n] as float32 tensors for the networks (new tensors; dispose them).</summary>
    public (Tensor Inputs, Tensor Targets) ToTensors(bool noisyInputs = true) =>
        (ToTensor(noisyInputs ? NoisyInputs : Inputs), tensor(Targets).to(ScalarType.Float32));

    /// <summary>A [n, d] array as a float32 tensor.</summary>
    public static Tensor ToTensor(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return tensor(values).to(ScalarType.Float32);
    }
}
