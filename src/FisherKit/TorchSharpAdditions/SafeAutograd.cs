using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// <c>torch.autograd.grad</c> and <c>backward</c> with PyTorch's defaults and without the process
/// aborts of TorchSharp 0.107. TorchSharp's <c>autograd.grad</c> ends the process ("terminate called
/// after throwing an instance of 'c10::Error'") on any libtorch error, its <c>retain_graph</c>
/// defaults to false even with <c>create_graph</c> (so a double backward fails), and with
/// <c>allow_unused</c> it returns tensors with invalid handles instead of null. <c>grad</c> checks
/// every argument first and throws a .NET exception naming the problem, lets <c>retain_graph</c>
/// follow <c>create_graph</c> as PyTorch does, and returns null for unused inputs.
/// </summary>
/// <remarks>
/// <para>
/// The graph is never freed by libtorch inside these calls: <c>retain_graph: false</c> only marks the
/// outputs as spent (a second <c>grad</c> or <c>backward</c> on the same output is refused, as in
/// PyTorch), while the saved tensors stay until the graph's tensors are disposed, as everything else
/// in TorchSharp (run each step in a dispose scope). This is what makes the call safe when two
/// outputs share a graph: in TorchSharp, differentiating the second output after the first call
/// freed their common graph ends the process.
/// </para>
/// <para>
/// Still outside what a .NET check can see, and so still ending the process inside <c>grad</c>
/// (<c>backward</c> throws an <see cref="System.Runtime.InteropServices.ExternalException"/> instead):
/// a graph freed by TorchSharp's own <c>Tensor.backward()</c> without <c>retain_graph</c>, and a tensor
/// the graph saved that was later modified in place (<c>y.add_(1)</c> after <c>y = x.exp()</c>).
/// Differentiate with <see cref="backward(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}?, bool?, bool)"/>
/// rather than <c>Tensor.backward()</c> when the graph is used again, and do not modify tensors of a
/// graph you still differentiate.
/// </para>
/// <para>
/// Custom autograd functions: an exception in the <c>backward</c> of a TorchSharp
/// <c>autograd.Function</c> ends the process. Derive from <see cref="SafeSingleTensorFunction{T}"/> or
/// <see cref="SafeMultiTensorFunction{T}"/> instead: inside <c>grad</c> and <c>backward</c> here their
/// failures are held until libtorch returns and then thrown as an <see cref="InvalidOperationException"/>.
/// </para>
/// </remarks>
public static class SafeAutograd
{
    private static readonly ConditionalWeakTable<Tensor, object> FreedOutputs = new();
    private static readonly object Freed = new();
    // Failures of safe custom functions: on the CPU libtorch runs the backward on the calling thread, so a
    // failure belongs to the innermost guarded call of its own thread. Backward functions of CUDA tensors
    // run on libtorch's device threads, which no call guards; their failures go to whichever guarded call
    // (on any thread) ends next.
    [ThreadStatic] private static int t_guardDepth;
    [ThreadStatic] private static List<(string function, Exception error)>? t_failures;
    private static readonly ConcurrentQueue<(string function, Exception error)> Unowned = new();
    private static int _activeGuards;

    /// <summary>
    /// Gradients of <paramref name="outputs"/> (weighted by <paramref name="grad_outputs"/>) with respect
    /// to <paramref name="inputs"/>, returned rather than accumulated into <c>.grad</c>. With
    /// <paramref name="create_graph"/> the result is itself differentiable (Hessian- and Fisher-vector
    /// products). An entry is null for an input the outputs do not depend on when
    /// <paramref name="allow_unused"/> is set; otherwise that is an <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="outputs">Differentiable outputs (each must require grad).</param>
    /// <param name="inputs">Tensors to differentiate with respect to (each must require grad).</param>
    /// <param name="grad_outputs">One weight per output, of the output's exact shape, dtype and device;
    /// null for scalar outputs (weight 1).</param>
    /// <param name="retain_graph">Allow another <c>grad</c> or <c>backward</c> on these outputs; default: <paramref name="create_graph"/>.</param>
    /// <param name="create_graph">Record the gradient computation itself (for higher derivatives).</param>
    /// <param name="allow_unused">Return null for inputs the outputs do not depend on.</param>
    /// <example>
    /// <code>
    /// var x = torch.randn(3, requires_grad: true);
    /// var y = (x * x * x).sum();
    /// var g = SafeAutograd.grad([y], [x], create_graph: true)[0]!;      // 3x²
    /// var h = SafeAutograd.grad([g.sum()], [x])[0]!;                     // 6x
    /// </code>
    /// </example>
    public static Tensor?[] grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor>? grad_outputs = null,
                                 bool? retain_graph = null, bool create_graph = false, bool allow_unused = false)
    {
        CheckOutputs("grad", outputs, grad_outputs);
        CheckInputs(inputs);
        bool retain = retain_graph ?? create_graph;
        IList<Tensor> results;
        int mark = Enter();
        try
        {
            // retain_graph: true always (see the remarks): a graph freed here may be shared with another output.
            results = autograd.grad(outputs.ToList(), inputs.ToList(), grad_outputs?.ToList(), retain_graph: true, create_graph, allow_unused: true);
        }
        finally
        {
            Exit();
        }
        if (!retain) MarkSpent(outputs);
        var grads = new Tensor?[inputs.Count];
        for (int i = 0; i < grads.Length; i++)
            grads[i] = results[i] is { IsInvalid: false } g ? g : null;
        if (TakeFailure("grad", mark) is { } failure)
        {
            foreach (var g in grads) g?.Dispose();
            throw failure;
        }
        if (!allow_unused)
        {
            int unused = Array.FindIndex(grads, g => g is null);
            if (unused >= 0)
            {
                foreach (var g in grads) g?.Dispose();
                throw new InvalidOperationException(
                    $"Input {unused} of grad was not used to compute the outputs, so it has no gradient; pass allow_unused: true to get null for it.");
            }
        }
        return grads;
    }

    /// <summary>Gradient of one scalar output with respect to one input (which it must depend on).</summary>
    public static Tensor grad(Tensor output, Tensor input, bool? retain_graph = null, bool create_graph = false) =>
        grad([output], [input], null, retain_graph, create_graph)[0]!;

    /// <summary>
    /// <c>Tensor.backward()</c> for several outputs: accumulates their gradients into the <c>.grad</c> of
    /// the leaves, with the argument checks of <see cref="grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}?, bool?, bool, bool)"/>,
    /// <c>retain_graph</c> following <c>create_graph</c>, the graph kept for other outputs that share it
    /// (so a later <c>grad</c> through it cannot end the process), and failures of
    /// <see cref="SafeSingleTensorFunction{T}"/> / <see cref="SafeMultiTensorFunction{T}"/> thrown here.
    /// </summary>
    public static void backward(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor>? grad_outputs = null, bool? retain_graph = null, bool create_graph = false)
    {
        CheckOutputs("backward", outputs, grad_outputs);
        bool retain = retain_graph ?? create_graph;
        int mark = Enter();
        try
        {
            autograd.backward(outputs.ToList(), grad_outputs?.ToList(), retain_graph: true, create_graph);
        }
        catch (System.Runtime.InteropServices.ExternalException) when (TakeFailure("backward", mark) is { } failure)
        {
            throw failure;
        }
        finally
        {
            Exit();
        }
        if (!retain) MarkSpent(outputs);
        if (TakeFailure("backward", mark) is { } failed) throw failed;
    }

    /// <summary><c>output.backward()</c> for a scalar output, as <see cref="backward(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}?, bool?, bool)"/>.</summary>
    public static void backward(Tensor output, bool? retain_graph = null, bool create_graph = false) =>
        backward([output], null, retain_graph, create_graph);

    /// <summary>Whether a failing safe custom function's backward can be held for a guarded call instead of ending the process.</summary>
    internal static bool Guarding => t_guardDepth > 0 || Volatile.Read(ref _activeGuards) > 0;

    /// <summary>Holds the failure of a safe custom function's backward until the guarded call returns.</summary>
    internal static void RecordFailure(string function, Exception error)
    {
        if (t_guardDepth > 0) (t_failures ??= []).Add((function, error));
        else Unowned.Enqueue((function, error));
    }

    /// <summary>Enters a guarded call; returns where this call's failures will start in the thread's list.</summary>
    private static int Enter()
    {
        t_guardDepth++;
        Interlocked.Increment(ref _activeGuards);
        return t_failures?.Count ?? 0;
    }

    private static void Exit()
    {
        Interlocked.Decrement(ref _activeGuards);
        t_guardDepth--;
    }

    private static InvalidOperationException? TakeFailure(string call, int mark)
    {
        var failed = new List<(string function, Exception error)>();
        if (t_failures is { } mine && mine.Count > mark)
        {
            failed.AddRange(mine.Skip(mark));
            mine.RemoveRange(mark, mine.Count - mark);
        }
        while (Unowned.TryDequeue(out var f)) failed.Add(f);
        if (failed.Count == 0) return null;
        var (function, error) = failed[0];
        var more = failed.Count > 1 ? $" ({failed.Count - 1} more failure(s) in the same pass)" : "";
        return new InvalidOperationException(
            $"{call}: the backward of custom autograd function '{function}' failed{more}: {error.GetType().Name}: {error.Message}", error);
    }

    private static void MarkSpent(IReadOnlyList<Tensor> outputs)
    {
        foreach (var o in outputs) FreedOutputs.AddOrUpdate(o, Freed);
    }

    private static void CheckOutputs(string call, IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor>? gradOutputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0) throw new ArgumentException($"{call} needs at least one output.", nameof(outputs));
        for (int i = 0; i < outputs.Count; i++)
        {
            TensorChecks.Alive(outputs[i], $"outputs[{i}]");
            if (!outputs[i].requires_grad)
                throw new InvalidOperationException(
                    $"{call}: output {i} does not require grad, so there is nothing to differentiate. Was it computed under no_grad(), detached, or from tensors none of which require grad?");
            if (FreedOutputs.TryGetValue(outputs[i], out _))
                throw new InvalidOperationException(
                    $"{call}: the graph behind output {i} was already used by an earlier grad or backward call without retain_graph (Trying to backward through the graph a second time). Pass retain_graph: true to that call to differentiate the same output twice.");
        }
        if (gradOutputs is null)
        {
            for (int i = 0; i < outputs.Count; i++)
                if (outputs[i].numel() != 1)
                    throw new ArgumentException($"{call} of a non-scalar output (output {i}, shape {TensorChecks.Shape(outputs[i])}) needs grad_outputs.", "grad_outputs");
            return;
        }
        if (gradOutputs.Count != outputs.Count)
            throw new ArgumentException($"{call} got {outputs.Count} outputs but {gradOutputs.Count} grad_outputs.", "grad_outputs");
        for (int i = 0; i < outputs.Count; i++)
        {
            TensorChecks.Alive(gradOutputs[i], $"grad_outputs[{i}]");
            if (!outputs[i].shape.SequenceEqual(gradOutputs[i].shape))
                throw new ArgumentException($"{call}: grad_outputs[{i}] has shape {TensorChecks.Shape(gradOutputs[i])} but output {i} has shape {TensorChecks.Shape(outputs[i])}.", "grad_outputs");
            TensorChecks.SameKind(outputs[i], gradOutputs[i], $"output {i}", $"grad_outputs[{i}]");
        }
    }

    private static void CheckInputs(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("grad needs at least one input.", nameof(inputs));
        for (int i = 0; i < inputs.Count; i++)
        {
            TensorChecks.Alive(inputs[i], $"inputs[{i}]");
            if (!inputs[i].requires_grad)
                throw new ArgumentException($"grad: input {i} does not require grad; call requires_grad_() on it before the forward pass.", nameof(inputs));
        }
    }
}
