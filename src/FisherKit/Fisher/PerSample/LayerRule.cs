using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Fisher.PerSample;

/// <summary>
/// How the per-sample gradients of one layer type follow from what the forward and backward
/// passes already computed: the layer's input a_n and the gradient b_n of the objective with
/// respect to the layer's output. For a linear map the per-sample weight gradient is b_n a_nᵀ
/// (summed over positions for convolutions), so no batch-size-1 loop is needed.
/// </summary>
internal abstract class LayerRule
{
    /// <summary>The rule for a module, or null when the module has no fast path (its parameters fall back to a loop).</summary>
    public static LayerRule? For(nn.Module module) => module switch
    {
        Linear => LinearRule.Instance,
        Conv2d c when ConvGeometry.Supported(c) => new ConvRule(c.weight.shape[2..], c.stride, ConvGeometry.Padding(c), c.dilation, oneDimensional: false),
        Conv1d c when ConvGeometry.Supported(c) => new ConvRule([1, c.weight.shape[2]], [1, c.stride[0]], [0, ConvGeometry.Padding(c)[0]], [1, c.dilation[0]], oneDimensional: true),
        BatchNorm bn when !bn.training && bn.running_mean is not null => new BatchNormRule(bn),
        _ => null,
    };

    /// <summary>
    /// Per-sample gradients of each of K objectives: b holds the output gradients stacked as
    /// (K, N, output shape...). Returns, for the local parameter names ("weight", "bias"), tensors
    /// of shape (K, N, parameter shape...).
    /// </summary>
    public abstract Dictionary<string, Tensor> Gradients(Tensor input, Tensor b, IReadOnlyList<string> parameterNames, IReadOnlyDictionary<string, long[]> shapes);

    /// <summary>
    /// The change of the layer's output when each parameter tensor moves along the sample's own
    /// gradient: for per-sample gradients g (from output gradients b of shape (1, N, output...)),
    /// returns per local parameter name c_t = ∂out/∂θ_t · g_t, shaped like the output (N, output...).
    /// </summary>
    public abstract Dictionary<string, Tensor> Tangents(Tensor input, Tensor b, IReadOnlyList<string> parameterNames, IReadOnlyDictionary<string, long[]> shapes);

    /// <summary>
    /// <see cref="Tangents"/> and the squared norms ‖g_{n,t}‖² as (N, 1, 1) Gram matrices, for the one
    /// objective of b (1, N, output...). Rules whose per-sample gradients are costly override it to
    /// form them once for both.
    /// </summary>
    public virtual (Dictionary<string, Tensor> Tangents, Dictionary<string, Tensor> Grams) TangentsAndGrams(Tensor input, Tensor b, IReadOnlyList<string> parameterNames, IReadOnlyDictionary<string, long[]> shapes) =>
        (Tangents(input, b, parameterNames, shapes), Gram(input, b, parameterNames, shapes));

    /// <summary>
    /// Gram matrices ⟨g_{n,k}, g_{n,l}⟩ per sample, (N, K, K), per local parameter name. The default
    /// materialises the gradients; rules override it when a cheaper identity exists.
    /// </summary>
    public virtual Dictionary<string, Tensor> Gram(Tensor input, Tensor b, IReadOnlyList<string> parameterNames, IReadOnlyDictionary<string, long[]> shapes)
    {
        var grads = Gradients(input, b, parameterNames, shapes);
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, g) in grads)
        {
            using var scope = NewDisposeScope();
            var flat = g.flatten(2);                       // (K, N, P)
            var gram = einsum("knp,lnp->nkl", flat, flat); // (N, K, K)
            result[name] = scope.MoveToOuter(gram);
            g.Dispose();
        }
        return result;
    }
}

/// <summary>y = a Wᵀ + b over inputs (N, ..., in): per-sample dW = Σ_s b_s a_sᵀ, db = Σ_s b_s.</summary>
internal sealed class LinearRule : LayerRule
{
    public static readonly LinearRule Instance = new();

    public override Dictionary<string, Tensor> Gradients(Tensor input, Tensor b, IReadOnlyList<string> names, IReadOnlyDictionary<string, long[]> shapes)
    {
        using var scope = NewDisposeScope();
        var k = b.shape[0];
        var n = b.shape[1];
        var a3 = input.reshape(n, -1, input.shape[^1]);          // (N, S, in)
        var b4 = b.reshape(k, n, -1, b.shape[^1]);               // (K, N, S, out)
        var result = new Dictionary<string, Tensor>();
        if (names.Contains("weight")) result["weight"] = scope.MoveToOuter(einsum("knso,nsi->knoi", b4, a3));
        if (names.Contains("bias")) result["bias"] = scope.MoveToOuter(b4.sum(2));
        return result;
    }

    /// <summary>dW = g_W applied to the input (Σ_s' b_s' (a_s'·a_s) per position), db = g_b at every position.</summary>
    public override Dictionary<string, Tensor> Tangents(Tensor input, Tensor b, IReadOnlyList<string> names, IReadOnlyDictionary<string, long[]> shapes)
    {
        using var scope = NewDisposeScope();
        var n = b.shape[1];
        var outShape = b.shape[1..];
        var a3 = input.reshape(n, -1, input.shape[^1]);          // (N, S, in)
        var b3 = b.reshape(n, -1, b.shape[^1]);                  // (N, S, out)
        var result = new Dictionary<string, Tensor>();
        if (names.Contains("weight"))
        {
            var gram = a3.bmm(a3.transpose(1, 2));                // (N, S, S): a_s·a_s'
            result["weight"] = scope.MoveToOuter(gram.bmm(b3).reshape(outShape));
        }
        if (names.Contains("bias"))
        {
            var gb = b3.sum(1, keepdim: true);                    // (N, 1, out)
            result["bias"] = scope.MoveToOuter(gb.expand_as(b3).reshape(outShape).contiguous());
        }
        return result;
    }

    /// <summary>For 2-D inputs: ⟨b_k aᵀ, b_l aᵀ⟩ = (b_k·b_l)(a·a), without forming the out×in gradients.</summary>
    public override Dictionary<string, Tensor> Gram(Tensor input, Tensor b, IReadOnlyList<string> names, IReadOnlyDictionary<string, long[]> shapes)
    {
        if (input.ndim != 2) return base.Gram(input, b, names, shapes);
        using var scope = NewDisposeScope();
        var bb = einsum("kno,lno->nkl", b, b);                   // (N, K, K)
        var result = new Dictionary<string, Tensor>();
        if (names.Contains("weight"))
        {
            var aa = input.pow(Hold(2)).sum(1);                      // (N)
            result["weight"] = scope.MoveToOuter(bb * aa.reshape(-1, 1, 1));
        }
        if (names.Contains("bias")) result["bias"] = scope.MoveToOuter(bb.clone());
        return result;
    }
}

/// <summary>
/// Convolution (groups = 1). The per-sample weight gradient G_n[o, i] = Σ_p b_n[o, p] · x_n[i, p·s + k·d]
/// is the weight gradient of the convolution for input n alone, and the tangent G_n * x_n (the
/// output change along the sample's own gradient) its convolution with that gradient; both come
/// for the whole batch from <see cref="ConvolutionGradients"/> (the fastest exact method for the
/// engine's configuration, see <see cref="PerInputConvolutionMethod.Auto"/>). The bias gradient is Σ_p b_n.
/// </summary>
internal sealed class ConvRule(long[] kernel, long[] stride, long[] padding, long[] dilation, bool oneDimensional) : LayerRule
{
    private Tensor As2d(Tensor t) => oneDimensional ? t.unsqueeze(-2) : t;

    /// <summary>
    /// Per-sample weight gradients, and with <paramref name="tangents"/> (K = 1) the output changes
    /// G_n * x_n: the K output gradients of each input stacked as K·out channels give all K weight
    /// gradients of the input at once. Returns the gradients as (K, N, out, in, kh, kw) and the
    /// tangents as (N, out, Ho, Wo).
    /// </summary>
    private (Tensor Gradients, Tensor? Tangents) PerInputProducts(Tensor input, Tensor b, bool tangents)
    {
        using var scope = NewDisposeScope();
        var x = As2d(input);                                                  // (N, in, H, W)
        var (k, n, cout, cin) = (b.shape[0], b.shape[1], b.shape[2], x.shape[1]);
        var g4 = As2d(b.reshape([k * n, .. b.shape[2..]]));                   // (K·N, out, Ho, Wo)
        var stacked = g4.reshape(k, n, cout, g4.shape[2], g4.shape[3]).transpose(0, 1).reshape(n, k * cout, g4.shape[2], g4.shape[3]);   // (N, K·out, Ho, Wo)
        Tensor grads;
        Tensor? outs = null;
        if (tangents && k == 1) (grads, outs) = ConvolutionGradients.Conv2dWeightPerInputAndOutputs(x, kernel, stacked, stride, padding, dilation);
        else grads = ConvolutionGradients.Conv2dWeightPerInput(x, kernel, stacked, stride, padding, dilation);
        var all = grads.view(n, k, cout, cin, kernel[0], kernel[1]).transpose(0, 1);   // (K, N, out, in, kh, kw)
        return (scope.MoveToOuter(all), outs is null ? null : scope.MoveToOuter(outs));
    }

    public override Dictionary<string, Tensor> Gradients(Tensor input, Tensor b, IReadOnlyList<string> names, IReadOnlyDictionary<string, long[]> shapes)
    {
        using var scope = NewDisposeScope();
        var (k, n, cout) = (b.shape[0], b.shape[1], b.shape[2]);
        var result = new Dictionary<string, Tensor>();
        if (names.Contains("weight"))
            result["weight"] = scope.MoveToOuter(PerInputProducts(input, b, tangents: false).Gradients.reshape([k, n, .. shapes["weight"]]));
        if (names.Contains("bias")) result["bias"] = scope.MoveToOuter(b.reshape(k, n, cout, -1).sum(3));
        return result;
    }

    /// <summary>dW: the input convolved with the sample's own weight gradient; db: g_b at every position.</summary>
    public override Dictionary<string, Tensor> Tangents(Tensor input, Tensor b, IReadOnlyList<string> names, IReadOnlyDictionary<string, long[]> shapes)
    {
        var (tangents, grams) = TangentsAndGrams(input, b, names, shapes);
        foreach (var g in grams.Values) g.Dispose();
        return tangents;
    }

    /// <summary>The per-sample weight gradients (the costly part) serve both the tangent and the norm.</summary>
    public override (Dictionary<string, Tensor> Tangents, Dictionary<string, Tensor> Grams) TangentsAndGrams(Tensor input, Tensor b, IReadOnlyList<string> names, IReadOnlyDictionary<string, long[]> shapes)
    {
        using var scope = NewDisposeScope();
        var bt = b.squeeze(0);                                                // (N, out, ...)
        var n = bt.shape[0];
        var cout = bt.shape[1];
        var tangents = new Dictionary<string, Tensor>();
        var grams = new Dictionary<string, Tensor>();
        if (names.Contains("weight"))
        {
            var (g, c) = PerInputProducts(input, b, tangents: true);
            tangents["weight"] = scope.MoveToOuter(c!.reshape(bt.shape));
            grams["weight"] = scope.MoveToOuter(g.reshape(n, -1).pow(Hold(2)).sum(1).reshape(n, 1, 1));
        }
        if (names.Contains("bias"))
        {
            var gb = bt.reshape(n, cout, -1).sum(2, keepdim: true);          // (N, out, 1)
            tangents["bias"] = scope.MoveToOuter(gb.expand(n, cout, bt.reshape(n, cout, -1).shape[2]).reshape(bt.shape).contiguous());
            grams["bias"] = scope.MoveToOuter(gb.pow(Hold(2)).sum([1, 2]).reshape(n, 1, 1));
        }
        return (tangents, grams);
    }
}

/// <summary>Batch normalisation in eval mode: y = γ·x̂ + β with x̂ from the running statistics, so dγ = Σ b·x̂, dβ = Σ b over positions.</summary>
internal sealed class BatchNormRule(BatchNorm module) : LayerRule
{
    public override Dictionary<string, Tensor> Gradients(Tensor input, Tensor b, IReadOnlyList<string> names, IReadOnlyDictionary<string, long[]> shapes)
    {
        using var scope = NewDisposeScope();
        var c = input.shape[1];
        var view = new long[input.ndim];
        Array.Fill(view, 1L);
        view[1] = c;
        var xhat = (input - module.running_mean!.reshape(view)) / module.running_var!.reshape(view).add(Hold(module.eps), One).sqrt();
        var k = b.shape[0];
        var n = b.shape[1];
        var result = new Dictionary<string, Tensor>();
        if (names.Contains("weight")) result["weight"] = scope.MoveToOuter((b * xhat).reshape(k, n, c, -1).sum(3));
        if (names.Contains("bias")) result["bias"] = scope.MoveToOuter(b.reshape(k, n, c, -1).sum(3));
        return result;
    }

    /// <summary>dγ: g_γ·x̂, dβ: g_β, broadcast over positions.</summary>
    public override Dictionary<string, Tensor> Tangents(Tensor input, Tensor b, IReadOnlyList<string> names, IReadOnlyDictionary<string, long[]> shapes)
    {
        using var scope = NewDisposeScope();
        var grads = Gradients(input, b, names, shapes);             // (1, N, C)
        var c = input.shape[1];
        var view = new long[input.ndim];
        Array.Fill(view, 1L);
        view[0] = input.shape[0];
        view[1] = c;
        var rm = new long[input.ndim];
        Array.Fill(rm, 1L);
        rm[1] = c;
        var xhat = (input - module.running_mean!.reshape(rm)) / module.running_var!.reshape(rm).add(Hold(module.eps), One).sqrt();
        var result = new Dictionary<string, Tensor>();
        if (grads.TryGetValue("weight", out var gw)) result["weight"] = scope.MoveToOuter(gw.squeeze(0).reshape(view) * xhat);
        if (grads.TryGetValue("bias", out var gb)) result["bias"] = scope.MoveToOuter(gb.squeeze(0).reshape(view).expand_as(input).contiguous());
        return result;
    }
}
