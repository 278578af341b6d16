using FisherKit.Fisher.Likelihoods;
using FisherKit.Fisher.PerSample;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Curvature;

/// <summary>
/// A curvature matrix of a model over a data set, matrix-free:
/// <c>A = s · Σ_n J_nᵀ M_n J_n</c> with J_n = ∂f(x_n)/∂θ, s = 1/N (mean) or 1 (sum), and the
/// output-space matrix M_n set by <see cref="FisherKind"/> (true Fisher F_f, Monte-Carlo estimate,
/// empirical Fisher u uᵀ, or the GGN's loss Hessian). Products use a batched Jacobian-vector product
/// (double backward) followed by a vector-Jacobian product; diagonal, blocks, dense matrix and exact
/// trace use per-sample gradients of the factors of M_n (no batch-size-1 loop for Linear/Conv layers).
/// Monte-Carlo labels are drawn from a generator re-seeded per batch, so the operator is the same
/// matrix on every call (as Lanczos and conjugate gradients need).
/// </summary>
public sealed class FisherOperator : ICurvatureMatrix, IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly IReadOnlyList<(Tensor inputs, Tensor? targets)> _batches;
    private readonly long _count;
    private bool _ownsBatches;                 // the batches are views made by FromTensors, released by Dispose

    /// <summary>Creates the operator over batches of (inputs, targets); targets may be null for the true and Monte-Carlo Fisher.</summary>
    public FisherOperator(nn.Module<Tensor, Tensor> model, PredictiveDistribution distribution, IEnumerable<(Tensor inputs, Tensor? targets)> batches,
        FisherKind kind = FisherKind.True, Normalization normalization = Normalization.Mean, int monteCarloSamples = 1, long seed = 0)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        Distribution = distribution ?? throw new ArgumentNullException(nameof(distribution));
        _batches = batches?.ToList() ?? throw new ArgumentNullException(nameof(batches));
        if (_batches.Count == 0) throw new ArgumentException("The data set is empty.", nameof(batches));
        if (monteCarloSamples < 1) throw new ArgumentOutOfRangeException(nameof(monteCarloSamples), monteCarloSamples, "At least one Monte-Carlo sample is needed.");
        if (kind is FisherKind.Empirical or FisherKind.GeneralizedGaussNewton && _batches.Any(b => b.targets is null))
            throw new ArgumentException($"The {kind} matrix needs the observed targets of every batch.", nameof(batches));
        for (int b = 0; b < _batches.Count; b++)
        {
            var (x, y) = _batches[b];
            if (x is null) throw new ArgumentException($"Batch {b} has no inputs.", nameof(batches));
            if (x.ndim < 1) throw new ArgumentException($"The inputs of batch {b} need a batch dimension, got shape {TensorChecks.Shape(x)}.", nameof(batches));
            if (y is not null && (y.ndim < 1 || y.shape[0] != x.shape[0]))
                throw new ArgumentException($"Batch {b} has {(y.ndim < 1 ? "scalar" : y.shape[0].ToString())} targets for {x.shape[0]} inputs.", nameof(batches));
        }
        PerInputFisher.CheckModel(model);
        Kind = kind;
        Normalization = normalization;
        MonteCarloSamples = monteCarloSamples;
        Seed = seed;
        Layout = new ParameterLayout(model);
        _count = _batches.Sum(b => b.inputs.shape[0]);
    }

    /// <summary>Convenience: the operator over tensors cut into batches.</summary>
    public static FisherOperator FromTensors(nn.Module<Tensor, Tensor> model, PredictiveDistribution distribution, Tensor inputs, Tensor? targets = null,
        int batchSize = 256, FisherKind kind = FisherKind.True, Normalization normalization = Normalization.Mean, int monteCarloSamples = 1, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size must be at least 1, got {batchSize}.");
        if (inputs.ndim < 1) throw new ArgumentException($"The inputs need a batch dimension, got shape {TensorChecks.Shape(inputs)}.", nameof(inputs));
        if (targets is not null && (targets.ndim < 1 || targets.shape[0] != inputs.shape[0]))
            throw new ArgumentException($"There are {(targets.ndim < 1 ? "scalar" : targets.shape[0].ToString())} targets for {inputs.shape[0]} inputs; every input needs one target.", nameof(targets));
        var n = inputs.shape[0];
        var batches = new List<(Tensor, Tensor?)>();
        for (long s = 0; s < n; s += batchSize)
        {
            var len = Math.Min(batchSize, n - s);
            batches.Add((inputs.narrow(0, s, len).DetachFromDisposeScope(), targets?.narrow(0, s, len).DetachFromDisposeScope()));
        }
        return new FisherOperator(model, distribution, batches, kind, normalization, monteCarloSamples, seed) { _ownsBatches = true };
    }

    /// <summary>
    /// Releases the batch views that <see cref="FromTensors"/> made (the tensors they view stay the caller's); batches
    /// given to the constructor stay the caller's too, so this does nothing for them.
    /// </summary>
    public void Dispose()
    {
        if (!_ownsBatches) return;
        _ownsBatches = false;
        foreach (var (x, y) in _batches)
        {
            x.Dispose();
            y?.Dispose();
        }
    }

    /// <summary>The predictive distribution.</summary>
    public PredictiveDistribution Distribution { get; }

    /// <summary>Which matrix.</summary>
    public FisherKind Kind { get; }

    /// <summary>Mean or sum over inputs.</summary>
    public Normalization Normalization { get; }

    /// <summary>Labels drawn per input for <see cref="FisherKind.MonteCarlo"/>.</summary>
    public int MonteCarloSamples { get; }

    /// <summary>Seed of the Monte-Carlo labels.</summary>
    public long Seed { get; }

    /// <summary>Parameter names and shapes.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Number of inputs.</summary>
    public long Count => _count;

    /// <inheritdoc />
    public long Size => Layout.Size;

    /// <summary>Largest parameter count for which <see cref="ToDense"/> is allowed.</summary>
    public long MaxDenseSize { get; set; } = 20_000;

    private double Scale => Normalization == Normalization.Mean ? 1.0 / _count : 1.0;

    /// <summary>The output-space matrix M_n of one batch, (N, C, C).</summary>
    private Tensor OutputMatrix(Tensor z, Tensor? y, int batchIndex)
    {
        using var scope = NewDisposeScope();
        Tensor m;
        if (Kind == FisherKind.True) m = Distribution.OutputFisher(z);
        else if (Kind == FisherKind.GeneralizedGaussNewton) m = Distribution.OutputHessian(z, y!);
        else
        {
            var (f, _) = Factor(z, y, batchIndex);
            m = einsum("knc,knd->ncd", f, f);
        }
        return scope.MoveToOuter(m);
    }

    /// <summary>
    /// Factors of M_n: M_n = Σ_k sign_{k,n} · L_{k,n} L_{k,n}ᵀ, as (K, N, C) and signs (K, N) (all +1 except
    /// for a GGN with negative curvature).
    /// </summary>
    private (Tensor factor, Tensor sign) Factor(Tensor z, Tensor? y, int batchIndex)
    {
        using var scope = NewDisposeScope();
        Tensor factor, sign;
        switch (Kind)
        {
            case FisherKind.MonteCarlo:
                {
                    using var gen = new Generator((ulong)(Seed * 1_000_003 + batchIndex));
                    var us = new List<Tensor>();
                    for (int s = 0; s < MonteCarloSamples; s++) us.Add(LogLikelihoodGradient(z, Distribution.Sample(z, gen)));
                    factor = stack(us, 0) / Hold(Math.Sqrt(MonteCarloSamples));
                    sign = ones([MonteCarloSamples, z.shape[0]], z.dtype, z.device);
                    break;
                }
            case FisherKind.Empirical:
                factor = LogLikelihoodGradient(z, y!).unsqueeze(0);
                sign = ones([1, z.shape[0]], z.dtype, z.device);
                break;
            default:
                {
                    var m = OutputMatrix(z, y, batchIndex);
                    var sym = m.add(m.transpose(1, 2), One) * Hold(0.5);
                    var (w, q) = linalg.eigh(sym);                          // M = Q diag(w) Qᵀ
                    factor = (q * w.abs().sqrt().unsqueeze(1)).permute(2, 0, 1); // (K, N, C): column k scaled
                    sign = w.sign().transpose(0, 1);                        // (K, N)
                    break;
                }
        }
        return (scope.MoveToOuter(factor.contiguous()), scope.MoveToOuter(sign.contiguous()));
    }

    private Tensor LogLikelihoodGradient(Tensor z, Tensor y)
    {
        using var scope = NewDisposeScope();
        var f = z.detach().requires_grad_();
        var ll = Distribution.LogLikelihood(f, y).sum();
        return scope.MoveToOuter(SafeAutograd.grad([ll], [f])[0]!.detach());
    }

    private void CheckDirection(ParamVector v) => v.CheckMatches(_model, nameof(v));

    /// <inheritdoc />
    public ParamVector MatVec(ParamVector v)
    {
        CheckDirection(v);
        using var mode = ModuleMode.Eval(_model);
        var acc = ParamVector.ZerosLike(_model);
        for (int b = 0; b < _batches.Count; b++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = _batches[b];
            var (z, jv) = Jacobian.Jvp(_model, x, v);
            Distribution.Validate(z.detach());
            var m = OutputMatrix(z.detach(), y, b);
            var u = m.bmm(jv.unsqueeze(2)).squeeze(2);
            using var part = Jacobian.Vjp(_model, z, u);
            foreach (var name in acc.Names) acc[name].add_(part[name], One);
        }
        foreach (var t in acc.Tensors) t.mul_(Hold(Scale));
        return acc;
    }

    /// <inheritdoc />
    public double QuadraticForm(ParamVector v)
    {
        CheckDirection(v);
        using var mode = ModuleMode.Eval(_model);
        double total = 0;
        for (int b = 0; b < _batches.Count; b++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = _batches[b];
            var (z, jv) = Jacobian.Jvp(_model, x, v);
            var m = OutputMatrix(z.detach(), y, b).to(ScalarType.Float64);
            var j = jv.to(ScalarType.Float64).unsqueeze(2);
            total += j.transpose(1, 2).bmm(m).bmm(j).sum().ToDouble();
        }
        return total * Scale;
    }

    /// <summary>Per-sample gradients of the factors of M_n for one batch: name → (K, N, shape...), and the signs (K, N).</summary>
    private (GramResult grads, Tensor sign) FactorGradients(int b)
    {
        var (x, y) = _batches[b];
        Tensor? sign = null;
        var grads = PerSampleGradients.Gradients(_model, x, z =>
        {
            Distribution.Validate(z);
            var (f, s) = Factor(z, y, b);
            sign = s.DetachFromDisposeScope();
            return f;
        });
        return (grads, sign!);
    }

    /// <inheritdoc />
    public ParamVector Diagonal()
    {
        var acc = ParamVector.ZerosLike(_model);
        for (int b = 0; b < _batches.Count; b++)
        {
            var (grads, sign) = FactorGradients(b);
            using (grads)
            using (sign)
            using (var scope = NewDisposeScope())
            {
                foreach (var name in acc.Names)
                {
                    var g = grads[name];                                   // (K, N, shape...)
                    var w = sign.reshape([.. sign.shape, .. Enumerable.Repeat(1L, (int)g.ndim - 2)]);
                    acc[name].add_((g.pow(Hold(2)) * w).sum([0, 1]), One);
                }
            }
        }
        foreach (var t in acc.Tensors) t.mul_(Hold(Scale));
        return acc;
    }

    /// <summary>tr A exactly, from per-sample factor gradients.</summary>
    public double Trace()
    {
        using var d = Diagonal();
        return d.Tensors.Sum(t => { using var s = t.sum(); return s.ToDouble(); });
    }

    /// <summary>
    /// Hutchinson's estimate of tr A from <paramref name="samples"/> Rademacher probes v (E[vᵀAv] = tr A),
    /// with its standard error s/√m from the sample standard deviation s of the probe values.
    /// </summary>
    public (double estimate, double standardError) HutchinsonTrace(int samples, long seed = 0)
    {
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Hutchinson needs at least 2 probes for an error estimate.");
        using var gen = new Generator((ulong)seed);
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            using var v = ParamVector.RademacherLike(_model, gen);
            values[i] = QuadraticForm(v);
        }
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(q => (q - mean) * (q - mean)) / (samples - 1));
        return (mean, sd / Math.Sqrt(samples));
    }

    /// <summary>The dense diagonal block of one parameter tensor (P_t × P_t), float64.</summary>
    public Tensor Block(string name)
    {
        if (!Layout.Entries.Any(e => e.name == name)) throw new ArgumentException($"The model has no parameter \"{name}\".", nameof(name));
        return DenseOver([name]);
    }

    /// <summary>The block-diagonal approximation: one dense block per parameter tensor.</summary>
    public BlockDiagonalCurvature ToBlockDiagonal() =>
        new(Layout, Layout.Entries.Select(e => (e.name, Block(e.name))).ToList());

    /// <summary>The diagonal approximation.</summary>
    public DiagonalCurvature ToDiagonal() => new(Layout, Diagonal());

    /// <summary>The full matrix as a dense float64 tensor (P × P) in model order.</summary>
    public Tensor ToDense()
    {
        if (Size > MaxDenseSize) throw new InvalidOperationException($"The model has {Size} parameters; a dense {Size}×{Size} matrix is refused above MaxDenseSize = {MaxDenseSize}. Use MatVec, Diagonal, blocks or a low-rank factor.");
        return DenseOver(Layout.Entries.Select(e => e.name).ToList());
    }

    private Tensor DenseOver(List<string> names)
    {
        long p = Layout.Entries.Where(e => names.Contains(e.name)).Sum(e => e.shape.Aggregate(1L, (a, b) => a * b));
        var acc = zeros([p, p], ScalarType.Float64, Layout.Device);
        for (int b = 0; b < _batches.Count; b++)
        {
            var (grads, sign) = FactorGradients(b);
            using (grads)
            using (sign)
            using (var scope = NewDisposeScope())
            {
                var rows = cat(names.Select(n => grads[n].flatten(2)).ToList(), 2).to(ScalarType.Float64); // (K, N, p)
                var flat = rows.reshape(-1, p);
                var w = sign.reshape(-1, 1).to(ScalarType.Float64);
                acc.add_((flat * w).t().mm(flat), One);
            }
        }
        return acc.mul_(Hold(Scale));
    }

    /// <summary>
    /// The per-sample factor gradients stacked as rows V (R × P, float64), with signs, so that
    /// A = s · Vᵀ diag(sign) V: an exact low-rank factor of rank ≤ N·K for small data sets.
    /// </summary>
    public (Tensor rows, Tensor signs) FactorRows()
    {
        var rows = new List<Tensor>();
        var signs = new List<Tensor>();
        using var scope = NewDisposeScope();
        for (int b = 0; b < _batches.Count; b++)
        {
            var (grads, sign) = FactorGradients(b);
            using (grads)
            using (sign)   // detached from the scopes by FactorGradients: ours to dispose
            {
                var r = cat(Layout.Entries.Select(e => grads[e.name].flatten(2)).ToList(), 2).to(ScalarType.Float64);
                rows.Add(r.reshape(-1, Size));
                signs.Add(sign.reshape(-1).to(ScalarType.Float64));
            }
        }
        var v = cat(rows, 0) * Hold(Math.Sqrt(Scale));
        return (scope.MoveToOuter(v), scope.MoveToOuter(cat(signs, 0)));
    }

    /// <summary>(A + λI)⁻¹ b by conjugate gradients (λ &gt; 0 keeps the system positive definite).</summary>
    public ParamVector Solve(ParamVector b, double damping) => ConjugateGradient.Solve(this, b, damping, Layout);

    /// <summary>
    /// The top-k eigenpairs by Lanczos with full reorthogonalisation (float64), restarted after a breakdown so that
    /// k pairs come back (zero eigenvalues beyond the matrix's rank; see <see cref="Lanczos"/>).
    /// </summary>
    public (double[] eigenvalues, ParamVector[] eigenvectors) TopEigen(int k, int? iterations = null, long seed = 0) =>
        Lanczos.TopEigenpairs(this, Layout, k, iterations, seed);

    /// <summary>
    /// A rank-k approximation U diag(λ) Uᵀ from the top eigenpairs (exactly <paramref name="rank"/> columns), with the
    /// pairs' Ritz residual norms in <see cref="LowRankCurvature.ResidualNorms"/>.
    /// </summary>
    public LowRankCurvature ToLowRank(int rank, int? iterations = null, long seed = 0)
    {
        var (values, vectors, residuals) = Lanczos.Run(this, Layout, rank, iterations, seed);
        using var scope = NewDisposeScope();
        var u = stack(vectors.Select(v => v.Flatten().to(ScalarType.Float64)).ToList(), 1);
        foreach (var v in vectors) v.Dispose();
        return new LowRankCurvature(Layout, scope.MoveToOuter(u), values) { ResidualNorms = residuals };
    }
}
