using static TorchSharp.torch;

namespace FisherKit.Attacks;

/// <summary>
/// Carlini &amp; Wagner (2017) L2 attack, untargeted. The box constraint is removed by the change of
/// variables x'(w) = a + (b − a)·(tanh(w) + 1)/2 for the valid range [a, b], and per input
/// <code>
/// minimise over w   ‖x'(w) − x‖₂² + c · max(Z_y(x') − max_{j≠y} Z_j(x'), −κ)
/// </code>
/// is solved with Adam (Z = logits, y = true label, κ = confidence). The constant c is found per input
/// by binary search: after a run that succeeds, c moves down towards the largest failing value; after
/// a failing run, up (×10 until a success bounds it). The smallest successful perturbation over all
/// runs is returned; inputs never attacked successfully are returned unchanged. The paper's defaults
/// are 9 search steps × 10,000 iterations; FisherKit's are modest (5 × 100), enough for small images.
/// </summary>
/// <param name="initialConstant">First c (paper: 10⁻³; FisherKit default 10⁻¹).</param>
/// <param name="binarySearchSteps">Number of values of c tried per input.</param>
/// <param name="maxIterations">Adam steps per value of c.</param>
/// <param name="learningRate">Adam learning rate (paper: 10⁻²).</param>
/// <param name="confidence">Margin κ ≥ 0 by which the true logit must lose.</param>
public sealed class CarliniWagnerL2(double initialConstant = 0.1, int binarySearchSteps = 5, int maxIterations = 100, double learningRate = 0.01, double confidence = 0) : Attack
{
    /// <summary>First value of c.</summary>
    public double InitialConstant { get; } = initialConstant > 0 && double.IsFinite(initialConstant) ? initialConstant : throw new ArgumentOutOfRangeException(nameof(initialConstant), initialConstant, "c must be positive and finite.");

    /// <summary>Number of binary-search steps over c.</summary>
    public int BinarySearchSteps { get; } = binarySearchSteps >= 1 ? binarySearchSteps : throw new ArgumentOutOfRangeException(nameof(binarySearchSteps), binarySearchSteps, "At least one search step is needed.");

    /// <summary>Adam steps per value of c.</summary>
    public int MaxIterations { get; } = maxIterations >= 1 ? maxIterations : throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "At least one iteration is needed.");

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; } = learningRate > 0 && double.IsFinite(learningRate) ? learningRate : throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");

    /// <summary>Confidence margin κ.</summary>
    public double Confidence { get; } = confidence >= 0 && double.IsFinite(confidence) ? confidence : throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "κ must be a finite value >= 0.");

    /// <inheritdoc />
    public override string Name => $"CW-L2(c₀={F(InitialConstant)}, {BinarySearchSteps}×{MaxIterations} steps, κ={F(Confidence)})";

    /// <inheritdoc />
    protected override Tensor GenerateCore(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels)
    {
        if (!double.IsFinite(ClipMin) || !double.IsFinite(ClipMax))
            throw new InvalidOperationException("The Carlini–Wagner attack needs a finite valid range [ClipMin, ClipMax] for its tanh change of variables.");
        using var scope = NewDisposeScope();
        long n = inputs.size(0);
        var unit = new long[inputs.ndim];
        Array.Fill(unit, 1L);
        unit[0] = n;
        double a = ClipMin, span = ClipMax - ClipMin;
        // w₀ = atanh of the input mapped to (−1, 1), shrunk slightly so that it is finite at the bounds.
        var z0 = ((inputs - Hold(a)) / Hold(span) * Hold(2) - Hold(1)) * Hold(1 - 1e-6);
        var w0 = (z0.add(Hold(1), One) / (z0 - Hold(1)).neg()).log() * Hold(0.5);

        var c = new double[n];
        var lower = new double[n];
        var upper = new double[n];
        Array.Fill(c, InitialConstant);
        Array.Fill(upper, double.PositiveInfinity);
        var bestL2 = full([n], Hold(double.PositiveInfinity), inputs.dtype, inputs.device);
        var best = inputs.clone();

        for (int search = 0; search < BinarySearchSteps; search++)
        {
            using var round = NewDisposeScope();
            var cT = tensor(c, device: inputs.device).to(inputs.dtype);
            var w = new TorchSharp.Modules.Parameter(w0.detach().clone(), requires_grad: true);
            var succeeded = zeros([n], ScalarType.Bool, inputs.device);
            // TorchSharp's Adam bit for bit, with held Scalars (its own step leaves them to the finalizer: HeldScalars).
            using var adam = new FusedAdam([w], lr: LearningRate) { OnePass = false };
            for (int it = 0; it < MaxIterations; it++)
            {
                using var step = NewDisposeScope();
                adam.zero_grad();
                Tensor xa, dist, margin;
                using (enable_grad())
                {
                    xa = (w.tanh().add(Hold(1), One) * Hold(span / 2)).add(Hold(a), One);
                    dist = (xa - inputs).flatten(1).pow(Hold(2)).sum(1);
                    var logits = Logits(model, xa);
                    margin = Margin(logits, labels);
                    var loss = dist.add(cT * margin.clamp_min(Hold(-Confidence)), One).sum();
                    // Only w's gradient: backward() would also add into the model's parameter gradients, which an
                    // attack leaves alone (Attack: adversarial training attacks between backward and step).
                    using var gw = SafeAutograd.grad(loss, w);
                    w.grad = gw;
                }
                adam.step();
                // Keep the best successful iterate (evaluated before this step's update).
                using (no_grad())
                {
                    var ok = margin.detach() <= Hold(-Confidence);
                    if (Confidence == 0) ok = ok & margin.detach().lt(Hold(0));
                    var improved = ok & (dist.detach() < bestL2);
                    bestL2.copy_(where(improved, dist.detach(), bestL2));
                    best.copy_(where(improved.reshape(unit), xa.detach(), best));
                    succeeded.copy_(succeeded | ok);
                }
            }
            var success = succeeded.ToArray<bool>();
            for (int i = 0; i < n; i++)
            {
                if (success[i])
                {
                    upper[i] = Math.Min(upper[i], c[i]);
                    c[i] = (lower[i] + upper[i]) / 2;
                }
                else
                {
                    lower[i] = Math.Max(lower[i], c[i]);
                    c[i] = double.IsPositiveInfinity(upper[i]) ? c[i] * 10 : (lower[i] + upper[i]) / 2;
                }
            }
        }
        return scope.MoveToOuter(best);
    }

    /// <summary>Z_y − max_{j≠y} Z_j per input: negative once the input is misclassified.</summary>
    private static Tensor Margin(Tensor logits, Tensor labels)
    {
        if (logits.ndim != 2 || logits.size(1) < 2)
            throw new InvalidOperationException($"The Carlini–Wagner attack needs logits (N, C), C >= 2; the model returned shape [{string.Join(", ", logits.shape)}].");
        using var scope = NewDisposeScope();
        var idx = labels.unsqueeze(1);
        var zy = logits.gather(1, idx).squeeze(1);
        var others = logits.scatter(1, idx, full_like(idx, Hold(double.NegativeInfinity), dtype: logits.dtype));
        var zmax = others.amax([1]);
        return scope.MoveToOuter(zy - zmax);
    }
}
