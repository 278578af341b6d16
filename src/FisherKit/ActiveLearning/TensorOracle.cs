using TorchSharp;

namespace FisherKit.ActiveLearning;

/// <summary>An oracle that looks labels up in a tensor of known targets and counts the queries.</summary>
public sealed class TensorOracle : IOracle
{
    private readonly torch.Tensor _targets;

    /// <summary>Reads from <paramref name="targets"/> (first dimension = pool size); the tensor is referenced, not copied.</summary>
    public TensorOracle(torch.Tensor targets) => _targets = targets ?? throw new ArgumentNullException(nameof(targets));

    /// <summary>Number of labels handed out so far.</summary>
    public long Queries { get; private set; }

    /// <inheritdoc />
    public torch.Tensor Label(IReadOnlyList<long> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        foreach (var i in indices)
            if (i < 0 || i >= _targets.shape[0]) throw new ArgumentOutOfRangeException(nameof(indices), i, $"Pool index outside [0, {_targets.shape[0]}).");
        Queries += indices.Count;
        return TensorUtil.Rows(_targets, indices);
    }
}
