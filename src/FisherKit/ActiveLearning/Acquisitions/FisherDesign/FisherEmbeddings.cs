using FisherKit.Models;
using FisherKit.Fisher;
using FisherKit.Fisher.PerSample;
using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Per-input factors of the projected Fisher information. For an input x with output Jacobian J
/// (C × P) and output-space Fisher M = L Lᵀ (from the model's <see cref="FisherKit.Fisher.Likelihoods.PredictiveDistribution"/>;
/// L from its eigendecomposition, so any likelihood works), the Fisher is F(x) = Jᵀ M J. Projected
/// onto the columns of S (P × r) it is Sᵀ F(x) S = E(x)ᵀ E(x) with the embedding
/// E(x) = Lᵀ J S (K × r, K = C rows). Embeddings are float64 (N, K, r).
/// <list type="bullet">
/// <item><see cref="LastLayer"/>: S selects the last Linear layer's weights and bias; the rows of E(x)
/// are the per-sample gradients of the factor objectives with respect to that layer, from
/// <see cref="PerSampleGradients"/> applied to the last layer alone on its captured input (for a
/// classifier, row c is √p_c (e_c − p) ⊗ (h, 1), the BAIT embedding of Ash et al. 2021 with a bias).</item>
/// <item><see cref="Subspace"/>: S given by parameter-space directions; J S from one batched
/// Jacobian-vector product per direction (<see cref="Jacobian.Jvp"/>).</item>
/// </list>
/// </summary>
public static class FisherEmbeddings
{
    /// <summary>Inputs per internal batch.</summary>
    public const int BatchSize = 256;

    /// <summary>The inputs of the last layer (penultimate activations), (N, H), in the network's dtype.</summary>
    public static Tensor LastLayerInputs(IFisherModel model, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var (h, z) = Capture(model, inputs);
        z.Dispose();
        return h;
    }

    /// <summary>Runs the network (batches of <see cref="BatchSize"/>) and captures the last layer's input h (N, H) and the output z (N, C).</summary>
    private static (Tensor h, Tensor z) Capture(IFisherModel model, Tensor inputs)
    {
        using var scope = NewDisposeScope();
        var x = model.PrepareInputs(inputs);
        var (h, z) = FeatureExtractors.Run(model.Network, model.LastLayer, ActivationPoint.Input, x, BatchSize);
        return (scope.MoveToOuter(h), scope.MoveToOuter(z));
    }

    /// <summary>L with M = L Lᵀ from the output-space Fisher, (N, C, K), float64.</summary>
    internal static Tensor OutputFactor(IFisherModel model, Tensor z)
    {
        using var scope = NewDisposeScope();
        var z64 = z.detach().to(ScalarType.Float64);
        model.Likelihood.Validate(z64);
        var m = model.Likelihood.OutputFisher(z64);
        var sym = m.add(m.transpose(1, 2), One) * Hold(0.5);
        var (w, q) = linalg.eigh(sym);
        return scope.MoveToOuter(q * w.clamp_min(Hold(0)).sqrt().unsqueeze(1));
    }

    /// <summary>Last-layer Fisher embeddings (N, C, r) with r = (H + 1)·C for a layer with bias.</summary>
    public static Tensor LastLayer(IFisherModel model, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var last = model.LastLayer;
        var parts = new List<Tensor>();
        using var outer = NewDisposeScope();
        var x = model.PrepareInputs(inputs);
        for (long s = 0; s < x.shape[0]; s += BatchSize)
        {
            using var scope = NewDisposeScope();
            var (h, z) = Capture(model, x.narrow(0, s, Math.Min(BatchSize, x.shape[0] - s)));
            // Before the comparison below, which NaN would fail with a message about the network's structure.
            if (!z.isfinite().all().item<bool>())
                throw new InvalidOperationException("The network output contains NaN or infinite values (diverged training or non-finite inputs); the Fisher embeddings are undefined.");
            using var grads = PerSampleGradients.Gradients(last, h, zl =>
            {
                using var inner = NewDisposeScope();
                if (!zl.shape.SequenceEqual(z.shape) || !allclose(zl, z, 1e-4, 1e-5))
                    throw new InvalidOperationException("The last Linear layer's output is not the network output (a layer follows it); a last-layer projection needs the network to end in that layer.");
                var f = OutputFactor(model, zl).permute(2, 0, 1).to(zl.dtype);     // (K, N, C)
                return inner.MoveToOuter(f.contiguous());
            });
            var rows = cat(grads.Entries.Select(e => e.value.flatten(2)).ToList(), 2);   // (K, N, r)
            parts.Add(scope.MoveToOuter(rows.permute(1, 0, 2).to(ScalarType.Float64, CPU).contiguous()));
        }
        return outer.MoveToOuter(cat(parts, 0));
    }

    /// <summary>Embeddings E(x) = Lᵀ J S for parameter-space directions S = [v_1 … v_r], (N, C, r) float64.</summary>
    public static Tensor Subspace(IFisherModel model, Tensor inputs, IReadOnlyList<ParamVector> directions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(directions);
        if (directions.Count == 0) throw new ArgumentException("At least one direction is needed.", nameof(directions));
        using var mode = ModuleMode.Eval(model.Network);
        using var outer = NewDisposeScope();
        var x = model.PrepareInputs(inputs);
        var parts = new List<Tensor>();
        for (long s = 0; s < x.shape[0]; s += BatchSize)
        {
            using var scope = NewDisposeScope();
            var xb = x.narrow(0, s, Math.Min(BatchSize, x.shape[0] - s));
            Tensor? z = null;
            var cols = new List<Tensor>();
            foreach (var v in directions)
            {
                var (zz, jv) = Jacobian.Jvp(model.Network, xb, v);
                z ??= zz.detach();
                cols.Add(jv.to(ScalarType.Float64));
            }
            var js = stack(cols, 2);                                   // (N, C, r)
            var l = OutputFactor(model, z!);                           // (N, C, K)
            parts.Add(scope.MoveToOuter(l.transpose(1, 2).bmm(js).to(CPU)));
        }
        return outer.MoveToOuter(cat(parts, 0));
    }
}
