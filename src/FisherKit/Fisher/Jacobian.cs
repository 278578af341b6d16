using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher;

/// <summary>Jacobian-vector and vector-Jacobian products of a model's output with respect to its parameters.</summary>
public static class Jacobian
{
    /// <summary>
    /// J v for a parameter-space direction v shared by the whole batch, exact, by the double-backward
    /// identity J v = ∂/∂u ⟨Jᵀu, v⟩ (u a dummy output cotangent). Returns the output and J v, both
    /// (N, C); the output keeps its graph.
    /// </summary>
    public static (Tensor output, Tensor jvp) Jvp(nn.Module<Tensor, Tensor> model, Tensor input, ParamVector direction)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var ps = model.named_parameters().ToList();
        var z = model.call(input);
        var u = zeros_like(z).requires_grad_();
        var vjp = SafeAutograd.grad([z], ps.Select(p => (Tensor)p.parameter).ToList(), [u], create_graph: true, allow_unused: true);
        Tensor? s = null;
        for (int i = 0; i < ps.Count; i++)
        {
            if (vjp[i] is null) continue;
            var term = (vjp[i]! * direction[ps[i].name]).sum();
            s = s is null ? term : s.add(term, One);
        }
        if (s is null) throw new InvalidOperationException("The model output does not depend on its parameters.");
        var jv = SafeAutograd.grad([s], [u], retain_graph: false)[0]!;
        return (scope.MoveToOuter(z), scope.MoveToOuter(jv.detach()));
    }

    /// <summary>Jᵀu summed over the batch, as a ParamVector (zeros for parameters the output does not use).</summary>
    public static ParamVector Vjp(nn.Module<Tensor, Tensor> model, Tensor output, Tensor cotangent, bool retainGraph = false)
    {
        var ps = model.named_parameters().ToList();
        var gs = SafeAutograd.grad([output], ps.Select(p => (Tensor)p.parameter).ToList(), [cotangent], retain_graph: retainGraph, allow_unused: true);
        return new ParamVector(ps.Select((p, i) => (p.name, gs[i]?.detach() ?? zeros_like(p.parameter))));
    }
}
