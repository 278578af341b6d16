using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Curvature;

/// <summary>A diagonal curvature approximation, stored shaped like the parameters. Owns its vector.</summary>
public sealed class DiagonalCurvature(ParameterLayout layout, ParamVector diagonal) : ICurvatureMatrix, IDisposable
{
    /// <summary>The parameter layout.</summary>
    public ParameterLayout Layout { get; } = layout;

    /// <inheritdoc />
    public long Size => Layout.Size;

    /// <inheritdoc />
    public ParamVector MatVec(ParamVector v) => diagonal.Map(n => diagonal[n] * v[n]);

    /// <inheritdoc />
    public double QuadraticForm(ParamVector v)
    {
        using var scope = NewDisposeScope();
        return diagonal.Names.Sum(n => (diagonal[n] * v[n].pow(Hold(2))).sum().ToDouble());
    }

    /// <inheritdoc />
    public double Trace() => diagonal.Tensors.Sum(t => { using var s = t.sum(); return s.ToDouble(); });

    /// <inheritdoc />
    public ParamVector Diagonal() => diagonal.Clone();

    /// <inheritdoc />
    public ParamVector Solve(ParamVector b, double damping) => diagonal.Map(n => b[n] / diagonal[n].add(Hold(damping), One));

    /// <inheritdoc />
    public Tensor ToDense()
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(diagonal.Flatten().to(ScalarType.Float64).diag());
    }

    /// <summary>Releases the diagonal.</summary>
    public void Dispose() => diagonal.Dispose();
}
