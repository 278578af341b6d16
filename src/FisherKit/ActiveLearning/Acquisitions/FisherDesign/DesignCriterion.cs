namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Optimal-design criteria on the (projected) Fisher information A of the labelled set.</summary>
public enum DesignCriterion
{
    /// <summary>D-optimal: maximise log det A, the expected information gain ½ log det(A_new A⁻¹) of a linear-Gaussian model.</summary>
    DOptimal,
    /// <summary>A-optimal: minimise tr A⁻¹, the summed posterior variances of the projected parameters.</summary>
    AOptimal,
    /// <summary>E-optimal: maximise the smallest eigenvalue of A (the worst-determined direction).</summary>
    EOptimal,
}
