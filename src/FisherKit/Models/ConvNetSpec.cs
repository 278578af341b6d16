using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>
/// The small convolutional image classifier of the FisherKit notebooks, described by a few numbers.
/// With the defaults it is the widely used "benchmark CNN" for 28×28 grey images (the Keras MNIST
/// example architecture):
/// <code>
/// conv1  Conv2d(1→32, 3×3) + ReLU        28×28 → 26×26
/// conv2  Conv2d(32→64, 3×3) + ReLU       26×26 → 24×24
/// pool   MaxPool2d(2)                    24×24 → 12×12
/// dropout1 Dropout(0.25)                 (only when ConvDropout &gt; 0)
/// flatten                                64·12·12 = 9216
/// fc1    Linear(9216→128) + ReLU
/// dropout2 Dropout(0.5)                  (only when DenseDropout &gt; 0)
/// fc2    Linear(128→10)                  logits
/// </code>
/// about 1.2 million parameters. The network returns logits; the dropout layers make Monte Carlo
/// dropout possible (they are inactive in evaluation mode). <see cref="Build"/> returns a
/// <see cref="Sequential"/> whose layers carry the names above, so parameters are named
/// <c>conv1.weight</c>, <c>fc2.bias</c>, ... and layers can be found with <see cref="Layer"/>.
/// </summary>
public sealed record ConvNetSpec
{
    /// <summary>Channels of the input images (1 for grey).</summary>
    public int InputChannels { get; init; } = 1;

    /// <summary>Side of the square input images in pixels (at least 6).</summary>
    public int InputSize { get; init; } = 28;

    /// <summary>Number of classes C (outputs).</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Filters of the first convolution.</summary>
    public int Conv1Channels { get; init; } = 32;

    /// <summary>Filters of the second convolution.</summary>
    public int Conv2Channels { get; init; } = 64;

    /// <summary>Units of the hidden fully connected layer.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Dropout probability after the pooling layer (0: no dropout layer).</summary>
    public double ConvDropout { get; init; } = 0.25;

    /// <summary>Dropout probability after the hidden layer (0: no dropout layer).</summary>
    public double DenseDropout { get; init; } = 0.5;

    /// <summary>The benchmark CNN for 1×28×28 images (Fashion-MNIST, MNIST), with or without its dropout layers.</summary>
    public static ConvNetSpec Benchmark(int classes = 10, bool dropout = true) =>
        new() { Classes = classes, ConvDropout = dropout ? 0.25 : 0, DenseDropout = dropout ? 0.5 : 0 };

    /// <summary>Side of the feature maps after the pooling layer.</summary>
    public int PooledSize => (InputSize - 4) / 2;

    /// <summary>Number of features entering the hidden layer.</summary>
    public long FlatFeatures => (long)Conv2Channels * PooledSize * PooledSize;

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount =>
        (long)Conv1Channels * InputChannels * 9 + Conv1Channels
        + (long)Conv2Channels * Conv1Channels * 9 + Conv2Channels
        + FlatFeatures * Hidden + Hidden
        + (long)Hidden * Classes + Classes;

    /// <summary>True when the network has at least one dropout layer (needed for Monte Carlo dropout).</summary>
    public bool HasDropout => ConvDropout > 0 || DenseDropout > 0;

    /// <summary>
    /// A one-line description that fixes the architecture, e.g.
    /// "conv32-conv64-maxpool-dropout0.25-fc128-dropout0.5-fc10 on 1x28x28" (used in weight-cache keys).
    /// </summary>
    public string Description
    {
        get
        {
            Validate();
            var parts = new List<string> { $"conv{Conv1Channels}", $"conv{Conv2Channels}", "maxpool" };
            if (ConvDropout > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"dropout{ConvDropout:R}"));
            parts.Add($"fc{Hidden}");
            if (DenseDropout > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"dropout{DenseDropout:R}"));
            parts.Add($"fc{Classes}");
            return $"{string.Join("-", parts)} on {InputChannels}x{InputSize}x{InputSize}";
        }
    }

    /// <summary>
    /// Creates the network with weights drawn after <c>manual_seed(seed)</c> (PyTorch's default
    /// initialisation), so the same seed gives the same initial weights; the global generator is put back
    /// afterwards (<see cref="GlobalRandom.Fork"/>).
    /// </summary>
    public Sequential Build(long seed)
    {
        Validate();
        using var random = GlobalRandom.Fork(seed);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv1", nn.Conv2d(InputChannels, Conv1Channels, 3)),
            ("relu1", nn.ReLU()),
            ("conv2", nn.Conv2d(Conv1Channels, Conv2Channels, 3)),
            ("relu2", nn.ReLU()),
            ("pool", nn.MaxPool2d(2)),
        };
        if (ConvDropout > 0) layers.Add(("dropout1", nn.Dropout(ConvDropout)));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("fc1", nn.Linear(FlatFeatures, Hidden)));
        layers.Add(("relu3", nn.ReLU()));
        if (DenseDropout > 0) layers.Add(("dropout2", nn.Dropout(DenseDropout)));
        layers.Add(("fc2", nn.Linear(Hidden, Classes)));
        return nn.Sequential(layers.ToArray());
    }

    /// <summary>The layer named <paramref name="name"/> (conv1, relu2, fc1, ...) of a network built by <see cref="Build"/>.</summary>
    public static nn.Module<Tensor, Tensor> Layer(Sequential model, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var (n, m) in model.named_children())
            if (n == name && m is nn.Module<Tensor, Tensor> layer) return layer;
        throw new ArgumentException($"The model has no layer named \"{name}\"; its layers are {string.Join(", ", model.named_children().Select(c => c.name))}.", nameof(name));
    }

    private void Validate()
    {
        if (InputChannels < 1) throw new ArgumentOutOfRangeException(nameof(InputChannels), InputChannels, "At least one input channel is needed.");
        if (InputSize < 6) throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "Images must be at least 6 pixels wide (two 3×3 convolutions and a 2×2 pooling).");
        if (Classes < 2) throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "A classifier needs at least two classes.");
        if (Conv1Channels < 1 || Conv2Channels < 1 || Hidden < 1)
            throw new ArgumentException($"Layer widths must be positive; got conv {Conv1Channels}, {Conv2Channels}, hidden {Hidden}.");
        if (!(ConvDropout >= 0 && ConvDropout < 1)) throw new ArgumentOutOfRangeException(nameof(ConvDropout), ConvDropout, "The dropout probability must lie in [0, 1).");
        if (!(DenseDropout >= 0 && DenseDropout < 1)) throw new ArgumentOutOfRangeException(nameof(DenseDropout), DenseDropout, "The dropout probability must lie in [0, 1).");
    }
}
