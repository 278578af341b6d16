namespace FisherKit.Uncertainty;

/// <summary>Settings of <see cref="RegressionTrainer"/> (Adam on mini-batches, reshuffled each epoch).</summary>
/// <param name="Epochs">Passes over the training data.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="WeightDecay">Adam weight decay (L2).</param>
/// <param name="MseWarmupEpochs">
/// For the Gaussian head: the first epochs train the mean with the MSE (while the variance head
/// learns the size of the detached residuals, <see cref="RegressionLosses.WarmupLoss"/>) before
/// switching to the Gaussian NLL, which avoids the variance absorbing early errors. Adam's moment
/// estimates are reset at the switch.
/// </param>
/// <param name="CosineSchedule">Anneal the learning rate to zero over the epochs (cosine).</param>
/// <param name="Device">Where to train (null: CPU); the model and each batch are moved there.</param>
public sealed record RegressionTrainingOptions(int Epochs = 10, int BatchSize = 32, double LearningRate = 1e-3, double WeightDecay = 0, int MseWarmupEpochs = 0, bool CosineSchedule = true, TorchSharp.torch.Device? Device = null)
{
    /// <summary>Throws an <see cref="ArgumentException"/> for impossible settings.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be positive.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "The weight decay must be finite and non-negative.");
        if (MseWarmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(MseWarmupEpochs), MseWarmupEpochs, "MseWarmupEpochs must be non-negative.");
    }
}
