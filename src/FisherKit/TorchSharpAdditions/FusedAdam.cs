using System.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// TorchSharp's Adam (and PyTorch's: L2 weight decay added to the gradient, AMSGrad, maximize) with a
/// one-pass update: each parameter tensor, its gradient and Adam's two averages are read and written
/// once, in C#, instead of TorchSharp's eight libtorch passes with two temporaries per tensor. It is a
/// <see cref="Adam"/>, so parameter groups, per-group learning rates, learning-rate schedulers and the
/// state dictionary work as with TorchSharp's Adam, and it gives the same parameters to float rounding:
/// every operation rounds as libtorch's (fused multiply-adds where libtorch's kernels have them) except
/// the square root, which libtorch computes to within one unit in the last place and C# exactly, so
/// about one float32 element in five differs in its last bit after a step and the trajectories part at
/// rounding level (float64: the same, less often).
/// </summary>
/// <remarks>
/// Measured against TorchSharp's <c>Adam.step</c> (eight passes, two temporaries per tensor) on the
/// benchmark CNN's 1.2 M parameters, alone and in whole training steps at batch 1 and 64: the "Adam
/// update" and "Training step" tables of <c>bench/README.md</c> (<c>bench/FisherKit.Bench kernels
/// --only adam</c>). It pays where the optimiser is a large part of a step (batch 1). With gradients
/// set to none and glibc's allocator defaults, fresh gradient memory is faulted in at every step (the
/// parameterless <c>zero_grad()</c> avoids that). The fast path takes contiguous float32 or float64 CPU
/// tensors (dense gradients); any other parameter is updated by TorchSharp's own operations. Like every
/// in-place update outside autograd it does not bump the parameters' version counters, so a graph
/// recorded before the step must not be differentiated after it (PyTorch refuses that; here it would
/// use the new values). <see cref="zero_grad(bool)"/> with <c>set_to_none: true</c> (PyTorch's default
/// since 2.0) saves the zeroing pass as well; the parameterless <see cref="OptimizerHelper.zero_grad"/>
/// zeros the gradients like TorchSharp's optimisers.
/// </remarks>
/// <example>
/// <code>
/// using var optimizer = new FusedAdam(model.parameters(), lr: 1e-3);
/// for (...)
/// {
///     optimizer.zero_grad(set_to_none: true);
///     nn.functional.cross_entropy(model.call(x), y).backward();
///     optimizer.step();
/// }
/// </code>
/// </example>
public sealed class FusedAdam : Adam
{
    /// <summary>Elements per part when an update is split among libtorch's CPU threads.</summary>
    private const long ParallelGrain = 1L << 18;

    /// <summary>Adam over <paramref name="parameters"/> (PyTorch's defaults).</summary>
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">Decay of the gradient's running average.</param>
    /// <param name="beta2">Decay of the squared gradient's running average.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weight_decay">L2 penalty added to the gradient (Adam's, not AdamW's decoupled decay).</param>
    /// <param name="amsgrad">Use the running maximum of the squared-gradient average (AMSGrad).</param>
    /// <param name="maximize">Maximise the objective instead of minimising it.</param>
    public FusedAdam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, Checked(lr, beta1, beta2, eps, weight_decay), beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    /// <summary>Adam over parameter groups, each with its own options (unset ones from these defaults).</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">Default learning rate.</param>
    /// <param name="beta1">Default decay of the gradient's running average.</param>
    /// <param name="beta2">Default decay of the squared gradient's running average.</param>
    /// <param name="eps">Default term added to the denominator.</param>
    /// <param name="weight_decay">Default L2 penalty.</param>
    /// <param name="amsgrad">Default AMSGrad switch.</param>
    /// <param name="maximize">Default maximise switch.</param>
    public FusedAdam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(groups, Checked(lr, beta1, beta2, eps, weight_decay), beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    /// <summary>
    /// True (the default): the one-pass update where it applies. False: TorchSharp's own update for every
    /// tensor, operation for operation, with Scalars held for each call (<see cref="HeldScalars"/>; TorchSharp's
    /// <c>Adam.step</c> leaves its Scalars to the finalizer), so the parameters equal TorchSharp's Adam's bit for bit.
    /// </summary>
    public bool OnePass { get; init; } = true;

    /// <summary>
    /// <paramref name="lr"/>, after checking the options (before TorchSharp's Adam, which lets NaN through,
    /// allocates state for the parameters).
    /// </summary>
    private static double Checked(double lr, double beta1, double beta2, double eps, double weight_decay, string where = "")
    {
        static void Require(bool ok, string name, double value, string rule, string where)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"FusedAdam{where}: {name} must be {rule}, not {value}.");
        }
        Require(double.IsFinite(lr) && lr >= 0, nameof(lr), lr, "finite and at least 0", where);
        Require(beta1 >= 0 && beta1 < 1, nameof(beta1), beta1, "in [0, 1)", where);
        Require(beta2 >= 0 && beta2 < 1, nameof(beta2), beta2, "in [0, 1)", where);
        Require(double.IsFinite(eps) && eps >= 0, nameof(eps), eps, "finite and at least 0", where);
        Require(double.IsFinite(weight_decay) && weight_decay >= 0, nameof(weight_decay), weight_decay, "finite and at least 0", where);
        return lr;
    }

    /// <summary>
    /// Disposes the state; nothing when the options were refused (the object was never built: TorchSharp's
    /// finalizer would otherwise meet a missing state table and end the process).
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (_state is null || _parameter_groups is null) return;
        base.Dispose(disposing);
    }

    /// <summary>
    /// Saves the state as TorchSharp's Adam does, under Adam's name (the format is Adam's), so that
    /// <see cref="Adam"/> and <see cref="FusedAdam"/> load each other's files. Call it on a
    /// <see cref="FusedAdam"/>-typed reference: TorchSharp's method (not virtual) writes the class name.
    /// </summary>
    public new void save_state_dict(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(nameof(Adam));
        var sd = state_dict();
        Encode(writer, sd.Options.Count);
        Encode(writer, sd.State.Count);
        foreach (var options in sd.Options) options.SaveStateDict(writer);
        foreach (var state in sd.State) state.SaveStateDict(writer);
    }

    /// <summary>A count as TorchSharp writes it in optimizer state (unsigned LEB128).</summary>
    private static void Encode(BinaryWriter writer, long value)
    {
        do
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            writer.Write(value == 0 ? b : (byte)(b | 0x80));
        } while (value != 0);
    }

    private static long Decode(BinaryReader reader)
    {
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            long b = reader.ReadByte();
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }

    /// <summary>Saves the state to a file (see <see cref="save_state_dict(BinaryWriter)"/>).</summary>
    public new void save_state_dict(string location)
    {
        using var stream = File.Create(location);
        using var writer = new BinaryWriter(stream);
        save_state_dict(writer);
    }

    /// <summary>Loads a state saved by TorchSharp's Adam or by <see cref="FusedAdam"/>.</summary>
    public new void load_state_dict(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var name = reader.ReadString();
        if (name is not (nameof(Adam) or nameof(FusedAdam)))
            throw new InvalidDataException($"FusedAdam: the stream holds the state of a '{name}' optimizer, not Adam's.");
        long groups = Decode(reader), states = Decode(reader);
        var sd = state_dict();
        if (groups != sd.Options.Count) throw new InvalidDataException($"FusedAdam: the stream has {groups} parameter groups, this optimizer {sd.Options.Count}.");
        if (states != sd.State.Count) throw new InvalidDataException($"FusedAdam: the stream has state for {states} parameters, this optimizer has {sd.State.Count}.");
        foreach (var options in sd.Options) options.LoadStateDict(reader);
        foreach (var state in sd.State) state.LoadStateDict(reader);
    }

    /// <summary>Loads a state from a file (see <see cref="load_state_dict(BinaryReader)"/>).</summary>
    public new void load_state_dict(string location)
    {
        using var stream = File.OpenRead(location);
        using var reader = new BinaryReader(stream);
        load_state_dict(reader);
    }

    /// <summary>
    /// Clears the gradients: with <paramref name="set_to_none"/> (PyTorch's default) they are dropped,
    /// so the next backward pass stores its gradients instead of adding them to zeros; otherwise they are
    /// zeroed in place, as <see cref="OptimizerHelper.zero_grad"/> does.
    /// </summary>
    public void zero_grad(bool set_to_none)
    {
        if (!set_to_none)
        {
            zero_grad();
            return;
        }
        foreach (var group in _parameter_groups)
            foreach (var p in group.Parameters)
                p.grad = null;
    }

    /// <summary>One Adam update of every parameter with a gradient (closure: re-evaluates the loss first, as in TorchSharp).</summary>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
            using (enable_grad()) loss = closure();
        using var noGrad = no_grad();
        foreach (var group in _parameter_groups)
        {
            var o = (Options)group.Options;
            Checked(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value, " (a parameter group's options)");
            var h = new Hyper(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value, o.amsgrad!.Value, o.maximize!.Value);
            foreach (var param in group.Parameters)
            {
                if (param.IsInvalid)
                    throw new ObjectDisposedException(nameof(Parameter), "FusedAdam.step: a parameter it optimises has been disposed.");
                using var grad = param.grad;
                if (grad is null) continue;
                var state = (State)_state[param.Handle];
                state.step += 1;
                if (!OnePass || !TryOnePass(param, grad, state, h))
                {
                    using var scope = NewDisposeScope();
                    Update(param, grad, state, h);
                }
            }
        }
        return loss!;
    }

    private readonly record struct Hyper(double Lr, double Beta1, double Beta2, double Eps, double WeightDecay, bool Amsgrad, bool Maximize);

    /// <summary>TorchSharp's own update, for tensors the one-pass kernel does not take.</summary>
    private static void Update(Parameter param, Tensor gradient, State state, Hyper h)
    {
        var grad = h.Maximize ? -gradient : gradient;
        var bc1 = 1 - Math.Pow(h.Beta1, state.step);
        var bc2 = 1 - Math.Pow(h.Beta2, state.step);
        if (h.WeightDecay != 0) grad = grad.add(param, alpha: Hold(h.WeightDecay));
        state.exp_avg.mul_(Hold(h.Beta1)).add_(grad, alpha: Hold(1 - h.Beta1));
        state.exp_avg_sq.mul_(Hold(h.Beta2)).addcmul_(grad, grad.conj(), value: Hold(1 - h.Beta2));
        Tensor denom;
        if (h.Amsgrad)
        {
            state.max_exp_avg_sq ??= zeros_like(state.exp_avg_sq).DetachFromDisposeScope();
            state.max_exp_avg_sq.copy_(maximum(state.max_exp_avg_sq, state.exp_avg_sq));
            denom = (state.max_exp_avg_sq.sqrt() / Hold(Math.Sqrt(bc2))).add_(Hold(h.Eps), One);
        }
        else denom = (state.exp_avg_sq.sqrt() / Hold(Math.Sqrt(bc2))).add_(Hold(h.Eps), One);
        param.addcdiv_(state.exp_avg, denom, value: Hold(-h.Lr / bc1));
    }

    private static bool Fits(Tensor t, Tensor like) =>
        t is not null && t.dtype == like.dtype && t.device_type == DeviceType.CPU && !t.is_sparse && t.is_contiguous() && t.numel() == like.numel();

    private static unsafe bool TryOnePass(Parameter param, Tensor grad, State state, Hyper h)
    {
        if (param.dtype is not (ScalarType.Float32 or ScalarType.Float64) || param.numel() == 0) return false;
        if (!Fits(param, param) || !Fits(grad, param) || !Fits(state.exp_avg, param) || !Fits(state.exp_avg_sq, param)) return false;
        if (h.Amsgrad)
        {
            if (state.max_exp_avg_sq is null) state.max_exp_avg_sq = zeros_like(param).DetachFromDisposeScope();
            if (!Fits(state.max_exp_avg_sq, param)) return false;
        }
        nint p = (nint)TensorData.Address(param), g = (nint)TensorData.Address(grad), m = (nint)TensorData.Address(state.exp_avg), v = (nint)TensorData.Address(state.exp_avg_sq);
        nint vmax = h.Amsgrad ? (nint)TensorData.Address(state.max_exp_avg_sq!) : 0;
        if (p == 0 || g == 0 || m == 0 || v == 0 || (h.Amsgrad && vmax == 0)) return false;
        long n = param.numel();
        bool single = param.dtype == ScalarType.Float32;
        double bc1 = 1 - Math.Pow(h.Beta1, state.step), bc2Sqrt = Math.Sqrt(1 - Math.Pow(h.Beta2, state.step));
        var c = new Coefficients(h.Beta1, 1 - h.Beta1, h.Beta2, 1 - h.Beta2, h.WeightDecay, bc2Sqrt, h.Eps, -h.Lr / bc1, h.Maximize, h.Amsgrad);
        void Run(long start, long count)
        {
            if (single) Kernel((float*)p + start, (float*)g + start, (float*)m + start, (float*)v + start, vmax == 0 ? null : (float*)vmax + start, count, c);
            else Kernel((double*)p + start, (double*)g + start, (double*)m + start, (double*)v + start, vmax == 0 ? null : (double*)vmax + start, count, c);
        }
        int parts = (int)Math.Min(Math.Max(1, get_num_threads()), Math.Max(1, n / ParallelGrain));
        if (parts <= 1) Run(0, n);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            // Part boundaries on multiples of 64 elements keep every part's vectors aligned alike.
            long first = n * part / parts / 64 * 64, last = part == parts - 1 ? n : n * (part + 1) / parts / 64 * 64;
            Run(first, last - first);
        });
        return true;
    }

    private readonly record struct Coefficients(double Beta1, double OneMinusBeta1, double Beta2, double OneMinusBeta2, double WeightDecay, double Bc2Sqrt, double Eps, double NegStepSize, bool Maximize, bool Amsgrad);

    /// <summary>a·b + c rounded once (the FMA instruction), as libtorch's vectorised kernels compute some steps.</summary>
    private static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
    }

    /// <summary>
    /// One element at a time (SIMD vectors of them), the operations of TorchSharp's Adam in its order and
    /// with libtorch's roundings: g = ±grad, g = fma(p, wd, g) (libtorch's add with alpha is a fused
    /// multiply-add); m = fma(g, 1 − β1, β1·m); v = fma((1 − β2)·g, g, β2·v) (addcmul); (AMSGrad:
    /// v̂ = max(v̂, v)); p = p + (−lr/bc1 · m) / (√v / √bc2 + ε) (addcdiv). Scalars are rounded to the
    /// tensor's type first, as libtorch does. Every step but the square root gives libtorch's bits:
    /// libtorch's float32 sqrt (vectorised, not correctly rounded) differs from the exact one by one unit
    /// in the last place for about a fifth of the elements, so the parameters match TorchSharp's Adam to
    /// float rounding, not bit for bit.
    /// </summary>
    private static unsafe void Kernel<T>(T* p, T* g, T* m, T* v, T* vmax, long n, Coefficients c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b1 = T.CreateTruncating(c.Beta1), a1 = T.CreateTruncating(c.OneMinusBeta1), b2 = T.CreateTruncating(c.Beta2), a2 = T.CreateTruncating(c.OneMinusBeta2);
        T wd = T.CreateTruncating(c.WeightDecay), bc2 = T.CreateTruncating(c.Bc2Sqrt), eps = T.CreateTruncating(c.Eps), step = T.CreateTruncating(c.NegStepSize);
        bool decay = c.WeightDecay != 0;
        long i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vb1 = new Vector<T>(b1); var va1 = new Vector<T>(a1); var vb2 = new Vector<T>(b2); var va2 = new Vector<T>(a2);
            var vwd = new Vector<T>(wd); var vbc2 = new Vector<T>(bc2); var veps = new Vector<T>(eps); var vstep = new Vector<T>(step);
            int w = Vector<T>.Count;
            for (; i + w <= n; i += w)
            {
                var pi = Vector.Load(p + i);
                var gi = Vector.Load(g + i);
                if (c.Maximize) gi = -gi;
                if (decay) gi = Fma(pi, vwd, gi);
                var mi = Fma(gi, va1, Vector.Load(m + i) * vb1);
                var vi = Fma(va2 * gi, gi, Vector.Load(v + i) * vb2);
                mi.Store(m + i);
                vi.Store(v + i);
                if (vmax != null)
                {
                    vi = Vector.Max(Vector.Load(vmax + i), vi);
                    vi.Store(vmax + i);
                }
                var denom = Vector.SquareRoot(vi) / vbc2 + veps;
                (pi + vstep * mi / denom).Store(p + i);
            }
        }
        for (; i < n; i++)
        {
            T pi = p[i], gi = g[i];
            if (c.Maximize) gi = -gi;
            if (decay) gi = T.FusedMultiplyAdd(pi, wd, gi);
            T mi = T.FusedMultiplyAdd(gi, a1, m[i] * b1);
            T vi = T.FusedMultiplyAdd(a2 * gi, gi, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            if (vmax != null)
            {
                vi = T.Max(vmax[i], vi);
                vmax[i] = vi;
            }
            p[i] = pi + step * mi / (T.Sqrt(vi) / bc2 + eps);
        }
    }
}
