namespace FisherKit.Fisher.Curvature;

/// <summary>
/// A symmetric matrix over a model's parameters, in one of several representations (dense,
/// diagonal, block-diagonal, low-rank, implicit), behind one vocabulary.
/// </summary>
public interface ICurvatureMatrix
{
    /// <summary>Number of rows (= total parameter count).</summary>
    long Size { get; }

    /// <summary>A v.</summary>
    ParamVector MatVec(ParamVector v);

    /// <summary>vᵀ A v.</summary>
    double QuadraticForm(ParamVector v);

    /// <summary>tr A.</summary>
    double Trace();

    /// <summary>The diagonal of A, shaped like the parameters.</summary>
    ParamVector Diagonal();

    /// <summary>(A + λI)⁻¹ b.</summary>
    ParamVector Solve(ParamVector b, double damping);

    /// <summary>A as a dense (P × P) float64 tensor in model order (small models only).</summary>
    TorchSharp.torch.Tensor ToDense();
}
