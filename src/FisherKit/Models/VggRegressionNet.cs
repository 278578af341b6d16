using System.Globalization;
using FisherKit.TorchSharpAdditions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>
/// A VGG-style regression CNN for one-channel images, as PTB's mammography image-quality networks
/// (<c>cnnb3bn</c>: blocks of 3×3 convolutions with batch norm and ReLU, 2×2 max pooling between blocks),
/// scaled down: <see cref="Blocks"/> lists the channels of each block's convolutions, each block ending in a
/// max pool; then adaptive average pooling to <see cref="PooledSize"/>², a hidden linear layer with ReLU and
/// dropout, and a linear head of <see cref="Outputs"/> values with no activation. FisherKit's mammography
/// training reads the outputs as ln t (t the threshold gold thickness in µm at each diameter).
/// Parameter names: <c>features.{i}.weight</c>, <c>head.0.weight</c>, <c>head.3.weight</c>, ….
/// </summary>
/// <example>
/// <code>
/// var net = new VggRegressionNet { Blocks = [[8, 8], [16, 16], [32, 32]], Outputs = 12 }.Build();
/// using var y = net.call(torch.randn(4, 1, 64, 96));   // [4, 12]
/// </code>
/// </example>
public sealed record VggRegressionNet
{
    /// <summary>Channels of the convolutions of each block (PTB's cnnb3bn: [16,16], [32,32], [64,64], [128,128]).</summary>
    public IReadOnlyList<IReadOnlyList<int>> Blocks { get; init; } = [[16, 16], [32, 32], [64, 64], [128, 128]];

    /// <summary>Side of the adaptive average pooling's output (PTB: 7).</summary>
    public int PooledSize { get; init; } = 2;

    /// <summary>Units of the hidden linear layer (PTB: 4096, twice).</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Dropout after the hidden layer (PTB: 0.5); 0 for none.</summary>
    public double Dropout { get; init; }

    /// <summary>Number of outputs (12 diameters).</summary>
    public int Outputs { get; init; } = 12;

    /// <summary>A readable description for cache keys and tables.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"vgg-bn [{string.Join(" M ", Blocks.Select(b => string.Join(",", b)))} M] pool {PooledSize} hidden {Hidden} dropout {Dropout} outputs {Outputs}");

    /// <summary>Builds the network (PyTorch's default initialisation; batch norm weight 1, bias 0).</summary>
    public Sequential Build()
    {
        if (Blocks is null || Blocks.Count == 0 || Blocks.Any(b => b is null || b.Count == 0 || b.Any(c => c < 1)))
            throw new ArgumentException("Every block needs at least one convolution with a positive number of channels.", nameof(Blocks));
        if (PooledSize < 1) throw new ArgumentOutOfRangeException(nameof(PooledSize), PooledSize, "The pooled size must be positive.");
        if (Hidden < 1) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "The hidden layer needs at least one unit.");
        if (Outputs < 1) throw new ArgumentOutOfRangeException(nameof(Outputs), Outputs, "At least one output is needed.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must lie in [0, 1).");
        var features = new List<(string, nn.Module<Tensor, Tensor>)>();
        int channels = 1, i = 0;
        foreach (var block in Blocks)
        {
            foreach (var c in block)
            {
                features.Add(($"{i++}", nn.Conv2d(channels, c, 3, padding: 1)));
                features.Add(($"{i++}", HeldBatchNorm.BatchNorm2d(c)));   // nn.BatchNorm2d's training forward leaves a Scalar to its finalizer
                features.Add(($"{i++}", nn.ReLU()));
                channels = c;
            }
            features.Add(($"{i++}", nn.MaxPool2d(2)));
        }
        var head = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("0", nn.Linear(channels * PooledSize * PooledSize, Hidden)),
            ("1", nn.ReLU()),
            ("2", Dropout > 0 ? nn.Dropout(Dropout) : nn.Identity()),
            ("3", nn.Linear(Hidden, Outputs)),
        };
        return nn.Sequential(
            ("features", nn.Sequential(features)),
            ("pool", nn.AdaptiveAvgPool2d(PooledSize)),
            ("flatten", nn.Flatten()),
            ("head", nn.Sequential(head)));
    }

    /// <summary>The smallest input side the blocks accept (each max pool halves it).</summary>
    public int MinimumInputSize => 1 << Blocks.Count;
}
