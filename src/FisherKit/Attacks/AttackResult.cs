using System.Globalization;
using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Attacks;

/// <summary>
/// The outcome of running an <see cref="Attack"/> on a set of inputs:
/// the adversarial inputs, the classifier's predictions before and after, and the size of every
/// perturbation δ = x' − x. An input counts as a success when the classifier's prediction on x'
/// differs from the true label. Owns <see cref="Adversarial"/>: dispose the result when done.
/// </summary>
public sealed class AttackResult : IDisposable
{
    internal AttackResult(string attack, Tensor adversarial, long[] labels, long[] clean, long[] adversarialPredictions, double[] l2, double[] linf, TimeSpan elapsed)
    {
        AttackName = attack;
        Adversarial = adversarial;
        Labels = labels;
        CleanPredictions = clean;
        AdversarialPredictions = adversarialPredictions;
        L2 = l2;
        Linf = linf;
        Elapsed = elapsed;
    }

    /// <summary>The attack's name with its parameters.</summary>
    public string AttackName { get; }

    /// <summary>Adversarial inputs, same shape as the inputs attacked, inside the valid range.</summary>
    public Tensor Adversarial { get; }

    /// <summary>True labels.</summary>
    public IReadOnlyList<long> Labels { get; }

    /// <summary>Predicted classes on the clean inputs.</summary>
    public IReadOnlyList<long> CleanPredictions { get; }

    /// <summary>Predicted classes on the adversarial inputs.</summary>
    public IReadOnlyList<long> AdversarialPredictions { get; }

    /// <summary>‖x' − x‖₂ per input.</summary>
    public IReadOnlyList<double> L2 { get; }

    /// <summary>‖x' − x‖∞ per input.</summary>
    public IReadOnlyList<double> Linf { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Number of inputs attacked.</summary>
    public int Count => Labels.Count;

    /// <summary>Per input: the adversarial input is misclassified.</summary>
    public bool[] Success => Enumerable.Range(0, Count).Select(i => AdversarialPredictions[i] != Labels[i]).ToArray();

    /// <summary>Per input: the clean input was classified correctly.</summary>
    public bool[] CleanCorrect => Enumerable.Range(0, Count).Select(i => CleanPredictions[i] == Labels[i]).ToArray();

    /// <summary>Accuracy on the clean inputs.</summary>
    public double CleanAccuracy => CleanCorrect.Average(b => b ? 1.0 : 0.0);

    /// <summary>Accuracy on the adversarial inputs (1 − <see cref="SuccessRate"/>).</summary>
    public double AdversarialAccuracy => 1 - SuccessRate;

    /// <summary>Fraction of all inputs misclassified after the attack.</summary>
    public double SuccessRate => Success.Average(b => b ? 1.0 : 0.0);

    /// <summary>Among inputs classified correctly before the attack, the fraction misclassified after it (NaN if none).</summary>
    public double SuccessRateOnCorrect
    {
        get
        {
            var correct = CleanCorrect;
            var success = Success;
            var idx = Enumerable.Range(0, Count).Where(i => correct[i]).ToArray();
            return idx.Length == 0 ? double.NaN : idx.Average(i => success[i] ? 1.0 : 0.0);
        }
    }

    /// <summary>Mean ‖δ‖₂ over all inputs.</summary>
    public double MeanL2 => L2.Average();

    /// <summary>Mean ‖δ‖∞ over all inputs.</summary>
    public double MeanLinf => Linf.Average();

    /// <summary>Median ‖δ‖₂ over successful inputs (NaN if none): the usual size of minimal-perturbation attacks.</summary>
    public double MedianL2OfSuccessful => Median(Enumerable.Range(0, Count).Where(i => Success[i]).Select(i => L2[i]));

    /// <summary>Median ‖δ‖∞ over successful inputs (NaN if none).</summary>
    public double MedianLinfOfSuccessful => Median(Enumerable.Range(0, Count).Where(i => Success[i]).Select(i => Linf[i]));

    /// <summary>
    /// The adversarial inputs as a data set with the true labels, e.g. for detection scores (classes
    /// from <paramref name="classNames"/>).
    /// </summary>
    public ImageDataset ToDataset(IReadOnlyList<string>? classNames = null)
    {
        using var scope = NewDisposeScope();
        var x = Adversarial.to(ScalarType.Float32).cpu();
        return new ImageDataset(x, tensor(Labels.ToArray()), classNames, AttackName);
    }

    /// <summary>One line: success rates, accuracies and perturbation sizes.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{AttackName}: {Count} inputs, clean accuracy {CleanAccuracy:P1}, success {SuccessRate:P1} (on correctly classified {SuccessRateOnCorrect:P1}), " +
        $"mean ‖δ‖₂ {MeanL2:G4}, mean ‖δ‖∞ {MeanLinf:G4}, median ‖δ‖₂ of successes {MedianL2OfSuccessful:G4}, {Elapsed.TotalSeconds:F1} s");

    /// <inheritdoc />
    public override string ToString() => Summary();

    /// <summary>Releases the adversarial tensor.</summary>
    public void Dispose() => Adversarial.Dispose();

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}
