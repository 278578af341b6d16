using FisherKit.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// A regression MLP with a homoscedastic Gaussian output, y ~ N(f_θ(x), σ_y²), that trains as an ordinary network
/// (K = 1, σ_x = 0) or as an errors-in-variables network (Martin &amp; Elster 2022): in training mode every example
/// x_i becomes K copies ζ_ik = x_i + σ_x·η_ik, η ~ N(0, I), laid out example-major and passed through the same
/// dropout mask (<see cref="GroupDropout"/>), and the forward pass returns F [B, K]; in evaluation mode it returns the
/// mean f_θ(x) [B, 1]. <see cref="EiVLoss"/> turns F into the log-mean likelihood. The mean network
/// (<see cref="Mean"/>: body of Linear–tanh(–dropout) blocks, then the linear <see cref="Head"/>) is a plain
/// Sequential, so the Fisher toolkit can work on it.
/// </summary>
public sealed class RegressionNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _mean;
    private readonly Sequential _body;
    private readonly Linear _head;
    private readonly Parameter _logSigma;
    private readonly GroupDropout[] _dropout;
    private readonly Tensor _sigmaX;

    /// <summary>Builds the network; weights are drawn from <paramref name="seed"/> (<see cref="ParameterInit"/>).</summary>
    public RegressionNetwork(RegressionNetworkOptions options, long seed) : base(nameof(RegressionNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var dropout = new List<GroupDropout>();
        long width = options.Inputs;
        for (int l = 0; l < options.HiddenLayers; l++)
        {
            layers.Add(($"linear{l}", nn.Linear(width, options.Hidden, dtype: ScalarType.Float32)));
            layers.Add(($"tanh{l}", nn.Tanh()));
            if (options.Dropout > 0)
            {
                var d = new GroupDropout(options.Dropout);
                dropout.Add(d);
                layers.Add(($"dropout{l}", d));
            }
            width = options.Hidden;
        }
        _body = nn.Sequential(layers);
        _head = nn.Linear(width, 1, dtype: ScalarType.Float32);
        _mean = nn.Sequential(("body", _body), ("head", _head));
        _dropout = [.. dropout];
        _logSigma = new Parameter(tensor(new[] { (float)Math.Log(options.InitialNoise) }).DetachFromDisposeScope(), requires_grad: options.LearnNoise);
        _sigmaX = tensor(options.InputNoisePerInput.Select(v => (float)v).ToArray()).DetachFromDisposeScope();
        register_module("mean", _mean);
        register_parameter("log_sigma", _logSigma);
        using (var g = new Generator((ulong)seed)) ParameterInit.Reset(_mean, g);
        eval();
    }

    /// <summary>The settings.</summary>
    public RegressionNetworkOptions Options { get; }

    /// <summary>The mean network x ↦ f_θ(x) [B, 1] (body, then head).</summary>
    public Sequential Mean => _mean;

    /// <summary>Everything before the last layer: x ↦ features [B, hidden].</summary>
    public Sequential Body => _body;

    /// <summary>The last (linear) layer.</summary>
    public Linear Head => _head;

    /// <summary>log σ_y.</summary>
    public Parameter LogNoise => _logSigma;

    /// <summary>σ_y in the network's output units.</summary>
    public double NoiseStd
    {
        get
        {
            using var _ = no_grad();
            using var s = _logSigma.exp();
            return s.ToSingle();
        }
    }

    /// <summary>True when the network has dropout layers.</summary>
    public bool HasDropout => _dropout.Length > 0;

    /// <summary>The generator of dropout masks and input noise (null: the global generator).</summary>
    public Generator? Generator
    {
        get => _generator;
        set
        {
            _generator = value;
            foreach (var d in _dropout) d.Generator = value;
        }
    }

    private Generator? _generator;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        return training ? Draws(input, Options.InputDraws, _sigmaX) : _mean.call(input);
    }

    /// <summary>
    /// f_θ at K noisy copies of every input, [B, K]: row i·K + k is x_i + σ_x·η_ik, and the K copies of an input share
    /// one dropout mask when dropout is active (training mode). <paramref name="sigmaX"/> [d] is σ_x per input.
    /// </summary>
    public Tensor Draws(Tensor input, int draws, Tensor sigmaX)
    {
        CheckInput(input);
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), draws, "K must be at least 1.");
        using var scope = NewDisposeScope();
        long b = input.shape[0];
        var x = draws > 1 ? input.repeat_interleave(draws, 0) : input;
        var sx = sigmaX.to(input.dtype, input.device);
        if (sx.gt(Hold(0)).any().item<bool>())
            x = x.add(randn(x.shape, dtype: x.dtype, device: x.device, generator: _generator) * sx, One);
        foreach (var d in _dropout) d.GroupSize = draws;
        try
        {
            return scope.MoveToOuter(_mean.call(x).reshape(b, draws));
        }
        finally
        {
            foreach (var d in _dropout) d.GroupSize = 1;
        }
    }

    /// <summary>σ_x per input as the network was built with, [d] float32.</summary>
    public Tensor InputNoise => _sigmaX;

    private void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ndim != 2 || input.shape[1] != Options.Inputs)
            throw new ArgumentException($"The network takes inputs [B, {Options.Inputs}], got {TensorChecks.Shape(input.shape)}.", nameof(input));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _sigmaX.Dispose();
        base.Dispose(disposing);
    }
}
