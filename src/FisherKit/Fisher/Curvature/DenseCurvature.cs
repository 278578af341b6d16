using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Curvature;

/// <summary>A curvature matrix stored densely (P × P, float64). Owns the matrix.</summary>
public sealed class DenseCurvature : ICurvatureMatrix, IDisposable
{
    private readonly Tensor _matrix;

    /// <summary>Wraps a symmetric P × P matrix for parameters with the given layout.</summary>
    public DenseCurvature(ParameterLayout layout, Tensor matrix)
    {
        Layout = layout;
        if (matrix.ndim != 2 || matrix.shape[0] != layout.Size || matrix.shape[1] != layout.Size)
            throw new ArgumentException($"A dense curvature for {layout.Size} parameters needs a [{layout.Size}, {layout.Size}] matrix, got {TensorChecks.Shape(matrix.shape)}.", nameof(matrix));
        _matrix = matrix.to(ScalarType.Float64).DetachFromDisposeScope();
    }

    /// <summary>The parameter layout.</summary>
    public ParameterLayout Layout { get; }

    /// <inheritdoc />
    public long Size => Layout.Size;

    /// <inheritdoc />
    public ParamVector MatVec(ParamVector v)
    {
        using var scope = NewDisposeScope();
        var r = _matrix.mv(v.Flatten().to(ScalarType.Float64));
        return Layout.Unflatten(r).MoveOutOf(scope);
    }

    /// <inheritdoc />
    public double QuadraticForm(ParamVector v)
    {
        using var scope = NewDisposeScope();
        var f = v.Flatten().to(ScalarType.Float64);
        return f.dot(_matrix.mv(f)).ToDouble();
    }

    /// <inheritdoc />
    public double Trace()
    {
        using var t = _matrix.trace();
        return t.ToDouble();
    }

    /// <inheritdoc />
    public ParamVector Diagonal()
    {
        using var scope = NewDisposeScope();
        return Layout.Unflatten(_matrix.diagonal()).MoveOutOf(scope);
    }

    /// <inheritdoc />
    public ParamVector Solve(ParamVector b, double damping)
    {
        using var scope = NewDisposeScope();
        var a = _matrix.add(eye(Size, dtype: ScalarType.Float64) * Hold(damping), One);
        var x = linalg.solve(a, b.Flatten().to(ScalarType.Float64).unsqueeze(1)).squeeze(1);
        return Layout.Unflatten(x).MoveOutOf(scope);
    }

    /// <inheritdoc />
    public Tensor ToDense() => _matrix.clone();

    /// <summary>Releases the matrix.</summary>
    public void Dispose() => _matrix.Dispose();
}
