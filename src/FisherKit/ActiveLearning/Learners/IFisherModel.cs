using FisherKit.Fisher.Likelihoods;
using TorchSharp;

namespace FisherKit.ActiveLearning.Learners;

/// <summary>
/// A model whose Fisher information the Fisher-based acquisitions can compute: a network f(x; θ), the
/// predictive distribution p(y | f) that its outputs parameterise, and its last layer (a Linear
/// module whose output is the network output), for last-layer projections.
/// </summary>
public interface IFisherModel
{
    /// <summary>The network; outputs (N, C) logits or (N, D) means in the likelihood's units.</summary>
    torch.nn.Module<torch.Tensor, torch.Tensor> Network { get; }

    /// <summary>The predictive distribution of the outputs (Categorical, Gaussian, ...).</summary>
    PredictiveDistribution Likelihood { get; }

    /// <summary>The last Linear layer of <see cref="Network"/>, whose output is the network output.</summary>
    TorchSharp.Modules.Linear LastLayer { get; }

    /// <summary>Brings inputs to the network's device and dtype.</summary>
    torch.Tensor PrepareInputs(torch.Tensor inputs);
}
