namespace FisherKit.Attacks;

/// <summary>
/// Basic iterative method (Kurakin, Goodfellow &amp; Bengio 2017): FGSM repeated with a small step and
/// clipped to the ε-neighbourhood after each step, x_{t+1} = Clip_{x,ε}(x_t + α · sign(∇ₓL(x_t))), from
/// x₀ = x without random start. The paper's defaults, for pixels on a 0–255 scale, are α = 1 and
/// min(ε + 4, 1.25ε) iterations; on the [0, 1] scale that is α = 1/255 and
/// min(255ε + 4, 1.25·255ε) iterations, used here when not given. This is <see cref="Pgd"/> in L∞
/// without random start.
/// </summary>
public sealed class Bim : Pgd
{
    /// <summary>Creates the attack with the paper's step and iteration count unless given.</summary>
    /// <param name="epsilon">L∞ bound ε on the [0, 1] input scale.</param>
    /// <param name="stepSize">Step α (default 1/255).</param>
    /// <param name="steps">Iterations (default ⌈min(255ε + 4, 1.25·255ε)⌉).</param>
    public Bim(double epsilon, double? stepSize = null, int? steps = null)
        : base(PerturbationNorm.Linf, epsilon, stepSize ?? 1.0 / 255, steps ?? DefaultSteps(epsilon), randomStart: false)
    {
    }

    /// <summary>Kurakin et al.'s iteration count ⌈min(255ε + 4, 1.25·255ε)⌉ (at least 1) for ε on the [0, 1] scale.</summary>
    public static int DefaultSteps(double epsilon)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a positive finite number.");
        return Math.Max(1, (int)Math.Ceiling(Math.Min(255 * epsilon + 4, 1.25 * 255 * epsilon)));
    }
}
