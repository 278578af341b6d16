using TorchSharp;

namespace FisherKit.ActiveLearning.Learners;

/// <summary>A model that can draw predictions from an approximate posterior: MC dropout passes or ensemble members.</summary>
public interface IPosteriorSampler
{
    /// <summary>
    /// S posterior predictions, (S, N, C) class probabilities or (S, N, D) means, float64 on the CPU.
    /// MC dropout draws <paramref name="samples"/> masks from a generator seeded by <paramref name="seed"/>;
    /// an ensemble returns one prediction per member and ignores <paramref name="samples"/>.
    /// </summary>
    torch.Tensor SamplePredictions(torch.Tensor inputs, int samples, long seed);
}
