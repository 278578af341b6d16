using FisherKit.Attacks;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// Monte Carlo dropout (Gal &amp; Ghahramani 2016): the classifier runs <see cref="Samples"/> times with its
/// dropout layers active (every other module, e.g. batch norm, in evaluation mode), giving S predictive
/// distributions p⁽ˢ⁾ = softmax(z⁽ˢ⁾(x)) that are summarised by <see cref="Measure"/>, by default the
/// mutual information H(p̄) − (1/S) Σₛ H(p⁽ˢ⁾). The model must contain <c>Dropout</c> or <c>Dropout2d</c>
/// layers. Dropout masks come from the global generator; with <see cref="Seed"/> set it is seeded for every
/// batch and put back afterwards (<see cref="GlobalRandom.Fork"/>), so scores are reproducible and the caller's
/// CPU random stream is left as it was (CUDA generators stay seeded).
/// </summary>
public sealed class McDropoutScore : IDetectionScore
{
    /// <summary>Creates the score.</summary>
    /// <param name="model">A classifier with dropout layers.</param>
    /// <param name="samples">Number of stochastic forward passes S ≥ 2 (Gal et al. use 20–100).</param>
    /// <param name="measure">How the samples are summarised.</param>
    /// <param name="seed">Seed for the dropout masks, or null to draw them from the global random stream as it stands.</param>
    public McDropoutScore(nn.Module<Tensor, Tensor> model, int samples = 20, SampleMeasure measure = SampleMeasure.MutualInformation, long? seed = 0)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least two samples are needed.");
        if (!model.HasDropout()) throw new ArgumentException($"{model.GetType().Name} has no Dropout or Dropout2d layer; Monte Carlo dropout needs one.", nameof(model));
        Samples = samples;
        Measure = measure;
        Seed = seed;
    }

    /// <summary>The classifier.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>Number of stochastic forward passes.</summary>
    public int Samples { get; }

    /// <summary>The summary of the samples.</summary>
    public SampleMeasure Measure { get; }

    /// <summary>Seed of the dropout masks (null: not re-seeded).</summary>
    public long? Seed { get; }

    /// <inheritdoc />
    public string Name => $"MC dropout {MeasureNames.Of(Measure)} (S={Samples})";

    /// <inheritdoc />
    public string Description => $"{MeasureNames.Formula(Measure, ensemble: false)} over S = {Samples} forward passes with dropout active (Gal & Ghahramani 2016).";

    /// <summary>
    /// The S softmax outputs (S, N, C), float64, in the caller's scope. For a <c>Sequential</c> model the
    /// layers before the first one with dropout are deterministic, so they run once (in calls sized by
    /// <see cref="ConvolutionWorkspace"/>) and only the rest runs S times (for a CNN with dropout after its
    /// convolutions, S passes cost little more than one); the dropout masks are drawn in the same order
    /// as by S whole passes, so the values are those of S whole passes up to float rounding. The
    /// children are called one by one, so hooks on the <c>Sequential</c> itself do not fire.
    /// </summary>
    public Tensor SampleProbabilities(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        using var modes = ModuleMode.MonteCarloDropout(Model);
        var (shared, rest) = Model.SplitAtFirstDropout();
        IReadOnlyList<nn.Module<Tensor, Tensor>> stochastic = shared.Count == 0 ? [Model] : rest;
        // The deterministic part in calls of ConvolutionWorkspace's size; the masks below see the whole batch as before.
        var features = shared.Count == 0 ? inputs : ConvolutionWorkspace.Call(Model, x => shared.Aggregate(x, (h, layer) => layer.call(h)), inputs);
        using var random = Seed is { } s ? GlobalRandom.Fork(s) : null;
        var samples = new Tensor[Samples];
        for (int i = 0; i < Samples; i++)
            samples[i] = nn.functional.softmax(stochastic.Aggregate(features.clone(), (x, layer) => layer.call(x)).to(ScalarType.Float64), 1);   // a copy: a layer may work in place
        return scope.MoveToOuter(stack(samples, 0));
    }

    /// <inheritdoc />
    public double[] Score(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return ScoreFunctions.Disagreement(SampleProbabilities(inputs), Measure).ToArray<double>();
    }
}
