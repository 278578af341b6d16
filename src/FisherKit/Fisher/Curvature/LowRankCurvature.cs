using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Curvature;

/// <summary>
/// A rank-r matrix U diag(λ) Uᵀ with orthonormal columns U (P × r, float64), e.g. from the top
/// eigenpairs of a Fisher operator. Solve uses (A + δI)⁻¹b = U diag(1/(λ+δ)) Uᵀb + (b − UUᵀb)/δ.
/// </summary>
public sealed class LowRankCurvature : ICurvatureMatrix, IDisposable
{
    private readonly Tensor _u;
    private readonly Tensor _lambda;

    /// <summary>Creates the matrix from orthonormal columns and eigenvalues.</summary>
    public LowRankCurvature(ParameterLayout layout, Tensor u, double[] eigenvalues)
    {
        Layout = layout;
        if (u.ndim != 2 || u.shape[0] != layout.Size || u.shape[1] != eigenvalues.Length)
            throw new ArgumentException($"U must be [{layout.Size}, {eigenvalues.Length}], got {TensorChecks.Shape(u.shape)}.", nameof(u));
        _u = u.to(ScalarType.Float64).DetachFromDisposeScope();
        _lambda = tensor(eigenvalues).DetachFromDisposeScope();
        Eigenvalues = eigenvalues.ToArray();
    }

    /// <summary>The parameter layout.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>The eigenvalues λ (descending as given).</summary>
    public double[] Eigenvalues { get; }

    /// <summary>Rank r.</summary>
    public int Rank => Eigenvalues.Length;

    /// <summary>
    /// The Ritz residual norms ‖A u_i − λ_i u_i‖ of the columns as eigenvectors of the operator A they were computed
    /// from, when this matrix comes from Lanczos (<see cref="FisherOperator.ToLowRank"/>; the values the Lanczos
    /// relation gives, without further products): small against λ_i means the pair has converged. Null for a matrix
    /// made from given columns.
    /// </summary>
    public double[]? ResidualNorms { get; init; }

    /// <summary>The orthonormal basis U (P × r), owned by this matrix.</summary>
    public Tensor Basis => _u;

    /// <inheritdoc />
    public long Size => Layout.Size;

    /// <inheritdoc />
    public ParamVector MatVec(ParamVector v)
    {
        using var scope = NewDisposeScope();
        var c = _u.t().mv(v.Flatten().to(ScalarType.Float64));
        return Layout.Unflatten(_u.mv(c * _lambda)).MoveOutOf(scope);
    }

    /// <inheritdoc />
    public double QuadraticForm(ParamVector v)
    {
        using var scope = NewDisposeScope();
        var c = _u.t().mv(v.Flatten().to(ScalarType.Float64));
        return (c.pow(Hold(2)) * _lambda).sum().ToDouble();
    }

    /// <inheritdoc />
    public double Trace() => Eigenvalues.Sum();

    /// <inheritdoc />
    public ParamVector Diagonal()
    {
        using var scope = NewDisposeScope();
        return Layout.Unflatten((_u.pow(Hold(2)) * _lambda).sum(1)).MoveOutOf(scope);
    }

    /// <inheritdoc />
    public ParamVector Solve(ParamVector b, double damping)
    {
        if (!(damping > 0)) throw new ArgumentOutOfRangeException(nameof(damping), damping, "A low-rank matrix is singular: the damping must be positive.");
        using var scope = NewDisposeScope();
        var x = b.Flatten().to(ScalarType.Float64);
        var c = _u.t().mv(x);
        var inRange = _u.mv(c / _lambda.add(Hold(damping), One));
        var rest = (x - _u.mv(c)) / Hold(damping);
        return Layout.Unflatten(inRange.add(rest, One)).MoveOutOf(scope);
    }

    /// <inheritdoc />
    public Tensor ToDense()
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter((_u * _lambda).mm(_u.t()));
    }

    /// <summary>Releases U and λ.</summary>
    public void Dispose()
    {
        _u.Dispose();
        _lambda.Dispose();
    }
}
