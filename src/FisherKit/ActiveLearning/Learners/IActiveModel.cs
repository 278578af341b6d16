using TorchSharp;

namespace FisherKit.ActiveLearning.Learners;

/// <summary>
/// A model that the active-learning loop trains on the labelled set and asks for predictions.
/// Training must be deterministic given the current weights, the data and <c>seed</c> (all
/// randomness drawn from generators seeded by it), so that a resumed run equals an uninterrupted one.
/// </summary>
public interface IActiveModel : IDisposable
{
    /// <summary>Classification or regression.</summary>
    TaskKind Task { get; }

    /// <summary>Trains on (inputs, targets), continuing from the current weights (a fresh model trains from its initial weights).</summary>
    void Fit(torch.Tensor inputs, torch.Tensor targets, long seed);

    /// <summary>Point predictions: class probabilities (N, C) for classification, means (N, D) for regression; float64 on the CPU.</summary>
    torch.Tensor Predict(torch.Tensor inputs);

    /// <summary>Copies of every tensor that defines the trained model (weights and any scaling), for checkpoints.</summary>
    Dictionary<string, torch.Tensor> StateDict();

    /// <summary>Restores the tensors written by <see cref="StateDict"/>.</summary>
    void LoadStateDict(IReadOnlyDictionary<string, torch.Tensor> state);
}
