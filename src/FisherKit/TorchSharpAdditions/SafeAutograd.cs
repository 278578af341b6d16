using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// <c>torch.autograd.grad</c> with PyTorch's defaults and without the process aborts of TorchSharp
/// 0.107. TorchSharp's <c>autograd.grad</c> ends the process ("terminate called after throwing an
/// instance of 'c10::Error'") on any libtorch error, its <c>retain_graph</c> defaults to false even
/// with <c>create_graph</c> (so a double backward fails), and with <c>allow_unused</c> it returns
/// tensors with invalid handles instead of null. <c>grad</c> checks every argument first and
/// throws a .NET exception naming the problem, lets <c>retain_graph</c> follow
/// <c>create_graph</c> as PyTorch does, and returns null for unused inputs.
/// </summary>
/// <remarks>
/// A graph freed by an earlier <c>grad</c> call (without <c>retain_graph</c>) is remembered per
/// output tensor and refused. A graph freed by <c>Tensor.backward()</c> cannot be seen from .NET:
/// calling <c>grad</c> on it still aborts in TorchSharp, so do not differentiate an output again
/// after <c>backward()</c> unless that call had <c>retain_graph: true</c>.
/// </remarks>
public static class SafeAutograd
{
    private static readonly ConditionalWeakTable<Tensor, object> FreedOutputs = new();
    private static readonly object Freed = new();

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
    /// <param name="retain_graph">Keep the graph for another backward pass; default: <paramref name="create_graph"/>.</param>
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
        Check(outputs, inputs, grad_outputs);
        bool retain = retain_graph ?? create_graph;
        var results = autograd.grad(outputs.ToList(), inputs.ToList(), grad_outputs?.ToList(), retain, create_graph, allow_unused: true);
        if (!retain)
            foreach (var o in outputs) FreedOutputs.AddOrUpdate(o, Freed);
        var grads = new Tensor?[inputs.Count];
        for (int i = 0; i < grads.Length; i++)
            grads[i] = results[i] is { IsInvalid: false } g ? g : null;
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

    private static void Check(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor>? gradOutputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (outputs.Count == 0) throw new ArgumentException("grad needs at least one output.", nameof(outputs));
        if (inputs.Count == 0) throw new ArgumentException("grad needs at least one input.", nameof(inputs));
        for (int i = 0; i < outputs.Count; i++)
        {
            TensorChecks.Alive(outputs[i], $"outputs[{i}]");
            if (!outputs[i].requires_grad)
                throw new InvalidOperationException(
                    $"grad: output {i} does not require grad, so there is nothing to differentiate. Was it computed under no_grad(), detached, or from tensors none of which require grad?");
            if (FreedOutputs.TryGetValue(outputs[i], out _))
                throw new InvalidOperationException(
                    $"grad: the graph behind output {i} was freed by an earlier grad call. Pass retain_graph: true to that call to differentiate the same output twice.");
        }
        for (int i = 0; i < inputs.Count; i++)
        {
            TensorChecks.Alive(inputs[i], $"inputs[{i}]");
            if (!inputs[i].requires_grad)
                throw new ArgumentException($"grad: input {i} does not require grad; call requires_grad_() on it before the forward pass.", nameof(inputs));
        }
        if (gradOutputs is null)
        {
            for (int i = 0; i < outputs.Count; i++)
                if (outputs[i].numel() != 1)
                    throw new ArgumentException($"grad of a non-scalar output (output {i}, shape {TensorChecks.Shape(outputs[i])}) needs grad_outputs.", nameof(gradOutputs));
            return;
        }
        if (gradOutputs.Count != outputs.Count)
            throw new ArgumentException($"grad got {outputs.Count} outputs but {gradOutputs.Count} grad_outputs.", nameof(gradOutputs));
        for (int i = 0; i < outputs.Count; i++)
        {
            TensorChecks.Alive(gradOutputs[i], $"grad_outputs[{i}]");
            if (!outputs[i].shape.SequenceEqual(gradOutputs[i].shape))
                throw new ArgumentException($"grad: grad_outputs[{i}] has shape {TensorChecks.Shape(gradOutputs[i])} but output {i} has shape {TensorChecks.Shape(outputs[i])}.", nameof(gradOutputs));
            TensorChecks.SameKind(outputs[i], gradOutputs[i], $"output {i}", $"grad_outputs[{i}]");
        }
    }
}
