using TorchSharp.Modules;

namespace FisherKit.Tests.Fisher;

/// <summary>Small float64 networks for brute-force checks.</summary>
internal static class TinyNets
{
    public static Sequential Mlp(long seed = 0, int inputs = 3, int hidden = 5, int classes = 4)
    {
        manual_seed(seed);
        var m = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, classes));
        m.to(float64);
        return m;
    }

    /// <summary>conv → BatchNorm (eval, non-trivial running stats) → ReLU → pool → a custom scaling layer (fallback path) → linear.</summary>
    public static Sequential Cnn(long seed = 0, int classes = 3)
    {
        manual_seed(seed);
        var bn = nn.BatchNorm2d(2);
        var m = nn.Sequential(nn.Conv2d(1, 2, 3, padding: 1), bn, nn.Tanh(), nn.MaxPool2d(2), nn.Flatten(), new Scale(2 * 3 * 3), nn.Linear(2 * 3 * 3, classes));
        m.to(float64);
        using (no_grad())
        {
            bn.running_mean!.copy_(tensor(new double[] { 0.1, -0.2 }));
            bn.running_var!.copy_(tensor(new double[] { 0.5, 1.7 }));
            foreach (var (name, p) in bn.named_parameters()) p.add_(0.3);
        }
        m.eval();
        return m;
    }

    public static Tensor Inputs(long seed, params long[] shape)
    {
        manual_seed(seed + 1000);
        return randn(shape, float64);
    }
}

/// <summary>Elementwise learned scale: a module without a fast per-sample rule (exercises the fallback loop).</summary>
internal sealed class Scale : nn.Module<Tensor, Tensor>
{
    // Named as registered: TorchSharp's to(dtype) and ModuleTree.WithParameterValues find the field by that name.
    private Parameter gain;

    public Scale(long features) : base(nameof(Scale))
    {
        using var r = rand([features]);
        gain = new Parameter(r + 0.5);
        register_parameter(nameof(gain), gain);
    }

    public override Tensor forward(Tensor input) => input * gain;
}
