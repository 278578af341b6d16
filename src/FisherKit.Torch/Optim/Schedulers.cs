using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>Base of the schedules: the learning rate is a function of the epoch count.</summary>
public abstract class LRScheduler
{
    /// <summary>Attaches the schedule to an optimiser.</summary>
    protected LRScheduler(optim.Optimizer optimizer)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        BaseLearningRate = optimizer.InitialLearningRate;
    }

    /// <summary>The optimiser whose learning rate is set.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>Learning rate at epoch 0.</summary>
    public double BaseLearningRate { get; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }

    /// <summary>Advances one epoch and sets the optimiser's learning rate.</summary>
    public void step()
    {
        Epoch++;
        Optimizer.LearningRate = LearningRateAt(Epoch);
    }

    /// <summary>The learning rate after <paramref name="epoch"/> epochs.</summary>
    public abstract double LearningRateAt(int epoch);
}

/// <summary>lr = base·γ^⌊epoch/step_size⌋.</summary>
public sealed class StepLR(optim.Optimizer optimizer, int step_size, double gamma = 0.1) : LRScheduler(optimizer)
{
    private readonly int _stepSize = step_size > 0 ? step_size : throw new ArgumentOutOfRangeException(nameof(step_size), step_size, "StepLR needs a positive step_size.");

    /// <inheritdoc />
    public override double LearningRateAt(int epoch) => BaseLearningRate * Math.Pow(gamma, epoch / _stepSize);
}

/// <summary>Cosine annealing: lr = η_min + (base − η_min)(1 + cos(π·epoch/T_max))/2.</summary>
public sealed class CosineAnnealingLR(optim.Optimizer optimizer, int T_max, double eta_min = 0) : LRScheduler(optimizer)
{
    private readonly int _period = T_max > 0 ? T_max : throw new ArgumentOutOfRangeException(nameof(T_max), T_max, "CosineAnnealingLR needs a positive T_max.");

    /// <inheritdoc />
    public override double LearningRateAt(int epoch) =>
        eta_min + (BaseLearningRate - eta_min) * (1 + Math.Cos(Math.PI * epoch / _period)) / 2;
}
