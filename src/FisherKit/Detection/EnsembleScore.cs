using FisherKit.Attacks;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// Deep-ensemble disagreement (Lakshminarayanan, Pritzel &amp; Blundell 2017): the M members, trained
/// independently, give predictive distributions p⁽ᵐ⁾ = softmax(z⁽ᵐ⁾(x)) (each member in evaluation mode),
/// summarised by <see cref="Measure"/>; the default, the mutual information H(p̄) − (1/M) Σₘ H(p⁽ᵐ⁾), is
/// the generalised Jensen–Shannon divergence between the members: zero when they agree.
/// </summary>
public sealed class EnsembleScore : IDetectionScore
{
    private readonly nn.Module<Tensor, Tensor>[] _members;

    /// <summary>Creates the score over two or more members (all mapping the same inputs to the same classes).</summary>
    public EnsembleScore(IReadOnlyList<nn.Module<Tensor, Tensor>> members, SampleMeasure measure = SampleMeasure.MutualInformation)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2) throw new ArgumentException($"An ensemble needs at least two members; got {members.Count}.", nameof(members));
        if (members.Any(m => m is null)) throw new ArgumentException("An ensemble member is null.", nameof(members));
        _members = members.ToArray();
        Measure = measure;
    }

    /// <summary>The members.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Members => _members;

    /// <summary>The summary of the members' predictions.</summary>
    public SampleMeasure Measure { get; }

    /// <inheritdoc />
    public string Name => $"Ensemble {MeasureNames.Of(Measure)} (M={_members.Length})";

    /// <inheritdoc />
    public string Description => $"{MeasureNames.Formula(Measure, ensemble: true)} over the M = {_members.Length} members of a deep ensemble (Lakshminarayanan et al. 2017).";

    /// <summary>The members' softmax outputs (M, N, C), float64, in the caller's scope.</summary>
    public Tensor MemberProbabilities(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var probs = new Tensor[_members.Length];
        for (int m = 0; m < _members.Length; m++)
        {
            using var modes = ModuleMode.Eval(_members[m]);
            var logits = ConvolutionWorkspace.Call(_members[m], inputs);
            if (m > 0 && !logits.shape.SequenceEqual(probs[0].shape))
                throw new InvalidOperationException($"Ensemble member {m} returned logits of shape [{string.Join(", ", logits.shape)}], member 0 [{string.Join(", ", probs[0].shape)}].");
            probs[m] = nn.functional.softmax(logits.to(ScalarType.Float64), 1);
        }
        return scope.MoveToOuter(stack(probs, 0));
    }

    /// <inheritdoc />
    public double[] Score(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return ScoreFunctions.Disagreement(MemberProbabilities(inputs), Measure).ToArray<double>();
    }
}
