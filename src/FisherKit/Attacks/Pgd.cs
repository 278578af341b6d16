using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Attacks;

/// <summary>
/// Projected gradient descent on the negative loss (Madry et al. 2018), in the L∞ or the L2 ball of
/// radius ε around x. From x₀ (x itself, or a uniform random point of the ball with
/// <see cref="RandomStart"/>) it iterates
/// <list type="bullet">
/// <item>L∞: x_{t+1} = Π(x_t + α · sign(∇ₓL(x_t))),</item>
/// <item>L2: x_{t+1} = Π(x_t + α · ∇ₓL(x_t) / ‖∇ₓL(x_t)‖₂),</item>
/// </list>
/// where Π projects onto the ball (L∞: clamp δ to [−ε, ε]; L2: δ · min(1, ε/‖δ‖₂)) and then clips to
/// the valid range, and returns the last iterate. With <see cref="Restarts"/> &gt; 1 the attack is
/// repeated from fresh random starts and, per input, the iterate with the largest loss is kept.
/// Without random start and in L∞ this is the basic iterative method (see <see cref="Bim"/>).
/// </summary>
public class Pgd : Attack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="norm">L∞ or L2 ball.</param>
    /// <param name="epsilon">Radius ε of the ball, on the input scale.</param>
    /// <param name="stepSize">Step α; default 2.5·ε/steps (Madry et al. 2018).</param>
    /// <param name="steps">Number of iterations (default 40).</param>
    /// <param name="randomStart">Start from a uniform random point of the ball (default true).</param>
    /// <param name="restarts">Independent runs per input (default 1).</param>
    /// <param name="seed">Seed of the random starts.</param>
    public Pgd(PerturbationNorm norm, double epsilon, double? stepSize = null, int steps = 40, bool randomStart = true, int restarts = 1, long seed = 0)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a positive finite number.");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least one step is needed.");
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "At least one run is needed.");
        var alpha = stepSize ?? 2.5 * epsilon / steps;
        if (!(alpha > 0) || !double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be a positive finite number.");
        Norm = norm;
        Epsilon = epsilon;
        StepSize = alpha;
        Steps = steps;
        RandomStart = randomStart;
        Restarts = restarts;
        Seed = seed;
    }

    /// <summary>The norm of the ball.</summary>
    public PerturbationNorm Norm { get; }

    /// <summary>The radius ε.</summary>
    public double Epsilon { get; }

    /// <summary>The step α.</summary>
    public double StepSize { get; }

    /// <summary>Number of iterations.</summary>
    public int Steps { get; }

    /// <summary>Whether runs start at a uniform random point of the ball.</summary>
    public bool RandomStart { get; }

    /// <summary>Independent runs per input.</summary>
    public int Restarts { get; }

    /// <summary>Seed of the random starts.</summary>
    public long Seed { get; }

    /// <inheritdoc />
    public override string Name =>
        $"{(RandomStart ? "PGD" : "BIM")}-{(Norm == PerturbationNorm.Linf ? "L∞" : "L2")}(ε={F(Epsilon)}, α={F(StepSize)}, {Steps} steps{(Restarts > 1 ? $", {Restarts} restarts" : "")})";

    /// <inheritdoc />
    protected override Tensor GenerateCore(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Seed);
        Tensor? best = null, bestLoss = null;
        for (int r = 0; r < Restarts; r++)
        {
            var x = RunOnce(model, inputs, labels, generator);
            if (Restarts == 1) return scope.MoveToOuter(x);
            Tensor loss;
            using (no_grad()) loss = nn.functional.cross_entropy(Logits(model, x), labels, reduction: nn.Reduction.None);
            if (best is null || bestLoss is null)
            {
                best = x;
                bestLoss = loss;
                continue;
            }
            var better = loss > bestLoss;
            var mask = better.view([.. new[] { better.size(0) }, .. Enumerable.Repeat(1L, (int)inputs.ndim - 1)]);
            best = where(mask, x, best);
            bestLoss = where(better, loss, bestLoss);
        }
        return scope.MoveToOuter(best!);
    }

    private Tensor RunOnce(nn.Module<Tensor, Tensor> model, Tensor x0, Tensor labels, Generator generator)
    {
        using var scope = NewDisposeScope();
        var x = RandomStart ? Clip(x0.add(RandomPoint(x0, generator), One)) : x0.clone();
        for (int t = 0; t < Steps; t++)
        {
            using var step = NewDisposeScope();
            var g = LossGradient(model, x, labels);
            Tensor moved;
            if (Norm == PerturbationNorm.Linf)
            {
                moved = x.add(g.sign() * Hold(StepSize), One);
            }
            else
            {
                var gn = SampleNorms(g, PerturbationNorm.L2).clamp_min(Hold(1e-12));
                moved = x.add(g / gn * Hold(StepSize), One);
            }
            var next = Clip(x0.add(Project(moved - x0), One));
            var previous = x;
            x = step.MoveToOuter(next);
            previous.Dispose();
        }
        return scope.MoveToOuter(x);
    }

    /// <summary>Projects perturbations onto the ε-ball of the attack's norm.</summary>
    private Tensor Project(Tensor delta)
    {
        if (Norm == PerturbationNorm.Linf) return delta.clamp(Hold(-Epsilon), Hold(Epsilon));
        using var scope = NewDisposeScope();
        var n = SampleNorms(delta, PerturbationNorm.L2).clamp_min(Hold(1e-12));
        var factor = (Hold(Epsilon) / n).clamp_max(Hold(1.0));
        return scope.MoveToOuter(delta * factor);
    }

    /// <summary>A uniform random point of the ε-ball per input (drawn on the CPU, then moved).</summary>
    private Tensor RandomPoint(Tensor like, Generator generator)
    {
        using var scope = NewDisposeScope();
        if (Norm == PerturbationNorm.Linf)
        {
            var u = rand(like.shape, like.dtype, CPU, generator: generator).to(like.device);
            return scope.MoveToOuter((u * Hold(2) - Hold(1)) * Hold(Epsilon));
        }
        // Uniform in the L2 ball of dimension d: a Gaussian direction, radius ε·U^(1/d).
        long d = like.numel() / like.size(0);
        var z = randn(like.shape, like.dtype, CPU, generator: generator).to(like.device);
        var dir = z / SampleNorms(z, PerturbationNorm.L2).clamp_min(Hold(1e-12));
        var shape = new long[like.ndim];
        Array.Fill(shape, 1L);
        shape[0] = like.size(0);
        var radius = rand(shape, like.dtype, CPU, generator: generator).to(like.device).pow(Hold(1.0 / d)) * Hold(Epsilon);
        return scope.MoveToOuter(dir * radius);
    }
}
