using TorchSharp;

namespace FisherKit.ActiveLearning;

/// <summary>Answers label queries for pool indices: a person, a measurement, or a lookup of known targets.</summary>
public interface IOracle
{
    /// <summary>The targets of the given pool indices, in that order (first dimension = count).</summary>
    torch.Tensor Label(IReadOnlyList<long> indices);
}
