using FisherKit.Fisher;
using TorchSharp;
using FisherKit.ActiveLearning.Learners;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>A Fisher projection fixed for one round: maps inputs to (N, K, r) float64 embeddings E with F_proj(x) = E(x)ᵀE(x). Owns its directions.</summary>
public sealed class FisherEmbedding : IDisposable
{
    private readonly IFisherModel _model;
    private readonly IReadOnlyList<ParamVector>? _directions;

    internal FisherEmbedding(IFisherModel model, IReadOnlyList<ParamVector>? directions, string name)
    {
        _model = model;
        _directions = directions;
        Name = name;
    }

    /// <summary>The projection's name.</summary>
    public string Name { get; }

    /// <summary>The parameter-space directions (null for the last-layer projection).</summary>
    public IReadOnlyList<ParamVector>? Directions => _directions;

    /// <summary>Embeddings of <paramref name="inputs"/>, (N, K, r) float64 on the CPU.</summary>
    public torch.Tensor Embed(torch.Tensor inputs) =>
        _directions is null ? FisherEmbeddings.LastLayer(_model, inputs) : FisherEmbeddings.Subspace(_model, inputs, _directions);

    /// <summary>Disposes the directions.</summary>
    public void Dispose()
    {
        if (_directions is null) return;
        foreach (var d in _directions) d.Dispose();
    }
}
