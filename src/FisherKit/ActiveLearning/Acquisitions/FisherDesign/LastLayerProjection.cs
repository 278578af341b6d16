using FisherKit.ActiveLearning.Learners;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>The last Linear layer's parameters (see <see cref="FisherProjection.LastLayer"/>).</summary>
internal sealed class LastLayerProjection : FisherProjection
{
    public override string Name => "last layer";

    protected override FisherEmbedding Fix(IFisherModel model, AcquisitionContext context) => new(model, null, Name);
}
