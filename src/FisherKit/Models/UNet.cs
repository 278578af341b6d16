using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>
/// A small U-Net (Ronneberger et al. 2015) for image-to-image regression: per level two 3×3
/// convolutions with ReLU (padding 1), 2×2 max pooling down, 2×2 transposed convolutions up,
/// skip connections by concatenation, a 1×1 output convolution, and optional dropout after every
/// block. The forward pass returns [B, OutChannels, H, W] for the mean head and
/// [B, 2·OutChannels, H, W] = [mean, variance] for the Gaussian head, where the variance is
/// softplus(raw) + MinVariance; <see cref="Split"/> separates them.
/// </summary>
public sealed class UNet : nn.Module<Tensor, Tensor>
{
    private readonly List<Sequential> _down = [];
    private readonly List<ConvTranspose2d> _up = [];
    private readonly List<Sequential> _upBlocks = [];
    private readonly Sequential _bottom;
    private readonly Conv2d _out;

    /// <summary>Builds the network; initialise the global seed (manual_seed) first for reproducible weights.</summary>
    public UNet(UNetOptions options) : base(nameof(UNet))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        int w = options.BaseWidth, c = options.InChannels;
        for (int l = 0; l < options.Depth; l++)
        {
            int width = w << l;
            _down.Add(Register($"down{l}", Block(c, width)));
            c = width;
        }
        _bottom = Register("bottom", Block(c, w << options.Depth));
        for (int l = options.Depth - 1; l >= 0; l--)
        {
            int width = w << l;
            _up.Add(Register($"up{l}", nn.ConvTranspose2d(width * 2, width, 2, stride: 2)));
            _upBlocks.Add(Register($"upblock{l}", Block(width * 2, width)));
        }
        _out = Register("out", nn.Conv2d(w, options.RawOutputChannels, 1));
    }

    /// <summary>The shape options.</summary>
    public UNetOptions Options { get; }

    private Sequential Block(int cin, int cout)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(cin, cout, 3, padding: 1), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, padding: 1), nn.ReLU(),
        };
        if (Options.Dropout > 0) layers.Add(nn.Dropout(Options.Dropout));
        return nn.Sequential([.. layers]);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> when <paramref name="input"/> does not fit the network.</summary>
    public void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.shape;
        if (s.Length != 4) throw new ArgumentException($"The U-Net expects input [B, {Options.InChannels}, H, W], got [{string.Join(", ", s)}].", nameof(input));
        if (s[1] != Options.InChannels) throw new ArgumentException($"The U-Net was built for {Options.InChannels} input channels, got {s[1]} (shape [{string.Join(", ", s)}]).", nameof(input));
        long f = 1L << Options.Depth;
        if (s[2] % f != 0 || s[3] % f != 0 || s[2] < f || s[3] < f)
            throw new ArgumentException($"The U-Net of depth {Options.Depth} needs H and W divisible by {f}, got {s[2]}×{s[3]}.", nameof(input));
        if (!input.is_floating_point()) throw new ArgumentException($"The U-Net expects a floating-point input, got {input.dtype}.", nameof(input));
        // Named here: libtorch's conv2d reports it as "Input type (double) and bias type (float) should be the same".
        var weights = parameters().First().dtype;
        if (input.dtype != weights)
            throw new ArgumentException($"The input is {input.dtype} but the U-Net's parameters are {weights}; convert the input (e.g. .to(ScalarType.{weights})) or the network.", nameof(input));
    }

    /// <summary>
    /// Throws unless inputs to predict from (after <see cref="CheckInput"/>) hold at least one sample, all finite: checked
    /// once per prediction rather than in every forward pass (a NaN input would otherwise be reported as a NaN prediction).
    /// </summary>
    internal static void CheckSamples(Tensor input)
    {
        if (input.shape[0] == 0) throw new ArgumentException($"The inputs hold no sample (shape {TensorChecks.Shape(input)}); there is nothing to predict.", nameof(input));
        TensorChecks.Finite(input, nameof(input));
    }

    /// <inheritdoc />
    private T Register<T>(string name, T module) where T : nn.Module
    {
        register_module(name, module);
        return module;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (output, _) = Run(input);
        return scope.MoveToOuter(output);
    }

    /// <summary>
    /// The forward pass that also returns the last hidden features φ [B, BaseWidth, H, W], the input
    /// of the 1×1 output convolution (used by <see cref="Uncertainty.LastLayerLaplace"/>).
    /// </summary>
    public (Tensor output, Tensor features) ForwardWithFeatures(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (output, features) = Run(input);
        scope.MoveToOuter(output, features);
        return (output, features);
    }

    /// <summary>The output convolution's weight [RawOutputChannels, BaseWidth, 1, 1] and bias.</summary>
    internal (Tensor weight, Tensor? bias) OutputLayer => (_out.weight, _out.bias);

    private (Tensor output, Tensor features) Run(Tensor input)
    {
        CheckInput(input);
        var skips = new List<Tensor>();
        var x = input;
        foreach (var block in _down)
        {
            x = block.call(x);
            skips.Add(x);
            x = nn.functional.max_pool2d(x, 2);
        }
        x = _bottom.call(x);
        for (int i = 0; i < _up.Count; i++)
        {
            var up = _up[i].call(x);
            x = _upBlocks[i].call(cat([up, skips[^(i + 1)]], 1));
        }
        var raw = _out.call(x);
        if (Options.Head == RegressionHead.Mean) return (raw, x);
        int c = Options.OutChannels;
        var mean = raw.narrow(1, 0, c);
        var variance = Softplus(raw.narrow(1, c, c)).add(Hold(Options.MinVariance), One);
        return (cat([mean, variance], 1), x);
    }

    /// <summary>Splits a forward output into the mean and (for the Gaussian head) the variance.</summary>
    public (Tensor mean, Tensor? variance) Split(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.ndim != 4 || output.shape[1] != Options.RawOutputChannels)
            throw new ArgumentException($"Expected a U-Net output with {Options.RawOutputChannels} channels, got [{string.Join(", ", output.shape)}].", nameof(output));
        int c = Options.OutChannels;
        return Options.Head == RegressionHead.Mean ? (output.alias(), null) : (output.narrow(1, 0, c), output.narrow(1, c, c));
    }
}
