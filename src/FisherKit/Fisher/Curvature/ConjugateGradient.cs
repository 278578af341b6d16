using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Curvature;

/// <summary>Solves (A + λI)x = b with conjugate gradients for a matrix-free symmetric positive semi-definite A.</summary>
public static class ConjugateGradient
{
    /// <summary>Runs CG in float64 until ‖r‖ ≤ tolerance·‖b‖ or <paramref name="maxIterations"/>; throws if it does not converge.</summary>
    public static ParamVector Solve(ICurvatureMatrix a, ParamVector b, double damping, ParameterLayout layout, double tolerance = 1e-10, int? maxIterations = null)
    {
        if (!(damping >= 0)) throw new ArgumentOutOfRangeException(nameof(damping), damping, "The damping must be non-negative.");
        var max = maxIterations ?? (int)Math.Min(layout.Size * 2, 10_000);
        using var scope = NewDisposeScope();
        var bf = b.Flatten().to(ScalarType.Float64);
        var bnorm = bf.norm().ToDouble();
        if (bnorm == 0) return layout.Unflatten(zeros_like(bf)).MoveOutOf(scope);
        Tensor Apply(Tensor x)
        {
            using var v = layout.Unflatten(x);
            using var av = a.MatVec(v);
            return av.Flatten().to(ScalarType.Float64).add(x * Hold(damping), One);
        }
        var xk = zeros_like(bf);
        var r = bf.clone();
        var p = r.clone();
        var rr = r.dot(r).ToDouble();
        bool converged = false;
        for (int it = 0; it < max && !converged; it++)
        {
            using var step = NewDisposeScope();
            var ap = Apply(p);
            var pap = p.dot(ap).ToDouble();
            if (pap <= 0) throw new ArithmeticException($"Conjugate gradients met non-positive curvature (pᵀ(A+λI)p = {pap:G3}); increase the damping.");
            var alpha = rr / pap;
            xk.add_(p, Hold(alpha));
            r.add_(ap, Hold(-alpha));
            var rrNew = r.dot(r).ToDouble();
            converged = Math.Sqrt(rrNew) <= tolerance * bnorm;
            p.mul_(Hold(rrNew / rr)).add_(r, One);
            rr = rrNew;
        }
        if (converged) return layout.Unflatten(xk).MoveOutOf(scope);
        throw new ArithmeticException($"Conjugate gradients did not reach relative residual {tolerance:G2} in {max} iterations (residual {Math.Sqrt(rr) / bnorm:G3}).");
    }
}
