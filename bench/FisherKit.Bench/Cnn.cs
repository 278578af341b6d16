using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>The benchmark's network: the classic 28×28 CNN (conv 32 3×3, conv 64 3×3, max-pool, linear 128, linear 10).</summary>
internal static class Cnn
{
    /// <summary>The network in plain TorchSharp (layers named "0".."8", as PyTorch's nn.Sequential names them).</summary>
    internal static nn.Module<Tensor, Tensor> Create() => nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10));

    /// <summary>Multiply-adds of the forward pass per sample, by layer.</summary>
    internal static (string layer, long macs, bool needsInputGradient)[] ForwardMacs() =>
    [
        ("conv1 1→32 3×3, 28→26", 26L * 26 * 32 * (1 * 3 * 3), false),   // its input is the data: no input gradient
        ("conv2 32→64 3×3, 26→24", 24L * 24 * 64 * (32 * 3 * 3), true),
        ("fc1 9216→128", 9216L * 128, true),
        ("fc2 128→10", 128L * 10, true),
    ];

    /// <summary>
    /// FLOPs of one training step per sample (2 per multiply-add): the forward pass, the weight
    /// gradients (as many multiply-adds as the forward), and the input gradients of every layer but
    /// the first. Element-wise work (ReLU, pooling, softmax, Adam) is below 1% and left out.
    /// </summary>
    internal static long TrainFlopsPerSample() =>
        2 * ForwardMacs().Sum(l => l.macs * (2 + (l.needsInputGradient ? 1 : 0)));

    /// <summary>
    /// FLOPs per input of the full Fisher form along the input's own gradient: a training step's work
    /// (forward, input gradients, per-sample weight gradients), plus each convolution's output change
    /// along its own per-sample gradient (a convolution of the layer input with the sample's weight
    /// gradient; a linear layer's change costs only a dot product of its input with itself) and the
    /// push of the changes through the layers after the first (their forward products).
    /// </summary>
    internal static long FormFlopsPerSample()
    {
        var macs = ForwardMacs();
        var convMacs = macs.Where(l => l.layer.StartsWith("conv", StringComparison.Ordinal)).Sum(l => l.macs);
        return TrainFlopsPerSample() + 2 * (convMacs + macs.Skip(1).Sum(l => l.macs));
    }
}
