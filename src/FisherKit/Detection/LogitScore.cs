using FisherKit.Attacks;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// A score computed from one classifier's logits: the model runs once per input (in calls sized by
/// <see cref="ConvolutionWorkspace"/>), in evaluation mode and without gradients, and
/// <see cref="FromLogits"/> turns the logits into scores.
/// </summary>
public abstract class LogitScore : IDetectionScore
{
    /// <summary>Creates the score for <paramref name="model"/> (inputs → logits (N, C)).</summary>
    protected LogitScore(nn.Module<Tensor, Tensor> model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
    }

    /// <summary>The classifier.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <summary>Scores (N) float64 from logits (N, C) computed elsewhere; higher = more unusual.</summary>
    public abstract Tensor FromLogits(Tensor logits);

    /// <inheritdoc />
    public double[] Score(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        using var modes = ModuleMode.Eval(Model);
        return FromLogits(ConvolutionWorkspace.Call(Model, inputs)).ToArray<double>();
    }
}
