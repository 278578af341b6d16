using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// A custom autograd function with one output (TorchSharp's <c>autograd.SingleTensorFunction</c>) whose
/// backward cannot end the process. In TorchSharp 0.107 an exception thrown inside a custom
/// function's <c>backward</c> (or a gradient list of the wrong length) ends the process, because
/// libtorch calls <c>backward</c> from native code. Here the backward runs inside a guard: when
/// differentiating through <see cref="SafeAutograd.grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}?, bool?, bool, bool)"/>
/// or <see cref="SafeAutograd.backward(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}?, bool?, bool)"/>, a failure
/// (an exception, a wrong number of gradients, a gradient of a shape or device that does not fit
/// its input) is held, libtorch finishes the pass with no gradient from this function, and the call
/// then throws an <see cref="InvalidOperationException"/> naming the function, with the original
/// exception as its inner exception.
/// </summary>
/// <remarks>
/// Implement <see cref="Forward"/> and <see cref="Backward"/> (TorchSharp's lowercase
/// <c>forward</c>/<c>backward</c> are sealed here) and call the function with <c>T.apply(...)</c>.
/// Outside FisherKit's <c>SafeAutograd</c> calls (TorchSharp's own <c>Tensor.backward()</c> or
/// <c>autograd.grad</c>) nothing can be held: the failure is rethrown and, as with any TorchSharp
/// function, ends the process, rather than silently leaving a gradient out. On the CPU a failure is
/// reported to the guarded call of the thread it happened on; the backward of CUDA tensors runs on
/// libtorch's own threads, and a failure there is reported to the guarded call that ends next (on a
/// GPU, do not differentiate through failing functions from several threads at once).
/// </remarks>
/// <example>
/// <code>
/// sealed class Cube : SafeSingleTensorFunction&lt;Cube&gt;
/// {
///     public override string Name => "Cube";
///     public override Tensor Forward(autograd.AutogradContext ctx, params object[] vars)
///     {
///         var x = (Tensor)vars[0];
///         ctx.save_for_backward([x]);
///         return x.pow(3);
///     }
///     public override List&lt;Tensor?&gt; Backward(autograd.AutogradContext ctx, Tensor grad)
///     {
///         var x = ctx.get_saved_variables()[0];
///         return [3 * x.square() * grad];
///     }
/// }
/// var g = SafeAutograd.grad(Cube.apply(x).sum(), x);
/// </code>
/// </example>
public abstract class SafeSingleTensorFunction<T> : autograd.SingleTensorFunction<T> where T : SafeSingleTensorFunction<T>, new()
{
    /// <summary>The forward computation (runs without recording a graph); save what backward needs in <paramref name="ctx"/>.</summary>
    public abstract Tensor Forward(autograd.AutogradContext ctx, params object[] vars);

    /// <summary>One gradient per argument of <see cref="Forward"/>, in order: null for arguments that are not tensors or get no gradient.</summary>
    public abstract List<Tensor?> Backward(autograd.AutogradContext ctx, Tensor grad_output);

    /// <inheritdoc />
    public sealed override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        SafeFunctionGuard.RecordArguments(ctx, vars);
        return Forward(ctx, vars);
    }

    /// <inheritdoc />
    public sealed override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        SafeFunctionGuard.Run(Name, ctx, () => Backward(ctx, grad_output));
}

/// <summary>
/// A custom autograd function with several outputs (TorchSharp's <c>autograd.MultiTensorFunction</c>)
/// whose backward cannot end the process; see <see cref="SafeSingleTensorFunction{T}"/>.
/// </summary>
public abstract class SafeMultiTensorFunction<T> : autograd.MultiTensorFunction<T> where T : SafeMultiTensorFunction<T>, new()
{
    /// <summary>The forward computation (runs without recording a graph); save what backward needs in <paramref name="ctx"/>.</summary>
    public abstract List<Tensor> Forward(autograd.AutogradContext ctx, params object[] vars);

    /// <summary>One gradient per argument of <see cref="Forward"/>, in order: null for arguments that are not tensors or get no gradient.</summary>
    public abstract List<Tensor?> Backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs);

    /// <inheritdoc />
    public sealed override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        SafeFunctionGuard.RecordArguments(ctx, vars);
        return Forward(ctx, vars);
    }

    /// <inheritdoc />
    public sealed override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs) =>
        SafeFunctionGuard.Run(Name, ctx, () => Backward(ctx, grad_outputs));
}

/// <summary>The guard both safe function kinds run their backward in.</summary>
internal static class SafeFunctionGuard
{
    private const string ArgumentsKey = "FisherKit.SafeFunction.arguments";

    /// <summary>What libtorch will check a gradient against: null for an argument that is not a tensor.</summary>
    private sealed record Argument(long[] Shape, string Device);

    internal static void RecordArguments(autograd.AutogradContext ctx, object[] vars)
    {
        // TorchSharp counts an argument as a tensor argument when it is a valid tensor (Function.ComputeVariableInput).
        var args = vars.Select(v => v is Tensor { IsInvalid: false } t ? new Argument(t.shape, t.device.ToString()) : null).ToArray();
        ctx.save_data(ArgumentsKey, args);
    }

    internal static List<Tensor> Run(string name, autograd.AutogradContext ctx, Func<List<Tensor?>> backward)
    {
        var args = (Argument?[])ctx.get_data(ArgumentsKey)!;
        List<Tensor?> grads;
        try
        {
            grads = backward() ?? throw new InvalidOperationException("Backward returned null instead of a list of gradients.");
            // Outside a guarded call, TorchSharp and libtorch check the gradients as for any function.
            if (SafeAutograd.Guarding) Validate(grads, args);
        }
        catch (Exception e) when (SafeAutograd.Guarding)
        {
            SafeAutograd.RecordFailure(name, e);
            // No gradient from this function: libtorch finishes the pass, and SafeAutograd throws afterwards.
            return [.. new Tensor[args.Length]];
        }
        return grads!;
    }

    private static void Validate(List<Tensor?> grads, Argument?[] args)
    {
        int extra = grads.Skip(args.Length).Count(g => g is { IsInvalid: false });
        if (grads.Count < args.Length || extra > 0)
            throw new InvalidOperationException($"Backward returned {grads.Count} gradients ({grads.Count(g => g is { IsInvalid: false })} defined) for {args.Length} arguments of forward; return one per argument, null where there is none.");
        for (int i = 0; i < args.Length; i++)
        {
            if (grads[i] is not { IsInvalid: false } g) continue;
            if (args[i] is not { } a)
                throw new InvalidOperationException($"Backward returned a gradient for argument {i} of forward, which is not a tensor; return null there.");
            if (g.device.ToString() != a.Device)
                throw new InvalidOperationException($"Backward returned the gradient for argument {i} on {g.device}, but that argument is on {a.Device}.");
            if (!ExpandsTo(a.Shape, g.shape))
                throw new InvalidOperationException($"Backward returned a gradient of shape {TensorChecks.Shape(g.shape)} for argument {i} of forward, which has shape {TensorChecks.Shape(a.Shape)}.");
        }
    }

    /// <summary>libtorch accepts a gradient of the input's shape or one the input's shape broadcasts to (it is summed back).</summary>
    private static bool ExpandsTo(long[] input, long[] grad)
    {
        if (input.Length > grad.Length) return false;
        for (int i = 1; i <= input.Length; i++)
            if (input[^i] != grad[^i] && input[^i] != 1) return false;
        return true;
    }
}
