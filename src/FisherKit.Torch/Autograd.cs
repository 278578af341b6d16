using FisherKit.Torch.Native;

namespace FisherKit.Torch;

// Reverse-mode automatic differentiation.
public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>
        /// Accumulates d(this)/d(leaf) into the <see cref="grad"/> of every leaf that requires grad.
        /// A non-scalar tensor needs <paramref name="gradient"/> (the vector of a vector-Jacobian product).
        /// </summary>
        /// <param name="gradient">Weights of the outputs; defaults to 1 for a scalar.</param>
        /// <param name="retain_graph">Keep the graph for another backward (defaults to create_graph).</param>
        /// <param name="create_graph">Record the backward pass itself, for higher derivatives.</param>
        public void backward(Tensor? gradient = null, bool? retain_graph = null, bool create_graph = false) =>
            autograd.backward([this], gradient is null ? null : [gradient], retain_graph, create_graph);
    }

    /// <summary>Automatic differentiation (torch.autograd).</summary>
    public static class autograd
    {
        /// <summary>Backward from several outputs at once.</summary>
        public static unsafe void backward(IReadOnlyList<Tensor> tensors, IReadOnlyList<Tensor>? grad_tensors = null, bool? retain_graph = null, bool create_graph = false)
        {
            CheckDifferentiable(tensors, nameof(backward));
            if (grad_tensors is not null && grad_tensors.Count != tensors.Count)
                throw new ArgumentException($"backward got {tensors.Count} outputs but {grad_tensors.Count} gradients.");
            if (grad_tensors is null)
                foreach (var t in tensors)
                    if (t.numel() != 1)
                        throw new ArgumentException($"backward of a non-scalar output (shape {Tensor.ShapeString(t.shape)}) needs an explicit gradient.");
            using var outs = new HandleArray(tensors);
            using var gos = new HandleArray(grad_tensors ?? []);
            fixed (IntPtr* po = outs.Pointers)
            fixed (IntPtr* pg = gos.Pointers)
                Status.Check(NativeMethods.fk_backward(po, outs.Length, grad_tensors is null ? null : pg, retain_graph is null ? -1 : retain_graph.Value ? 1 : 0, create_graph ? 1 : 0));
        }

        /// <summary>
        /// Gradients of <paramref name="outputs"/> (weighted by <paramref name="grad_outputs"/>) with
        /// respect to <paramref name="inputs"/>, returned rather than accumulated. With
        /// <paramref name="create_graph"/> the result is itself differentiable (double backward:
        /// Hessian- and Fisher-vector products). Entries are null for inputs the outputs do not
        /// depend on, when <paramref name="allow_unused"/> is set.
        /// </summary>
        public static unsafe Tensor?[] grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor>? grad_outputs = null,
                                            bool? retain_graph = null, bool create_graph = false, bool allow_unused = false)
        {
            CheckDifferentiable(outputs, nameof(grad));
            if (inputs.Count == 0) throw new ArgumentException("grad needs at least one input.", nameof(inputs));
            foreach (var x in inputs)
                if (!x.requires_grad) throw new ArgumentException("Every input of grad must require grad; one of them does not (call requires_grad_() on it before the forward pass).", nameof(inputs));
            if (grad_outputs is not null && grad_outputs.Count != outputs.Count)
                throw new ArgumentException($"grad got {outputs.Count} outputs but {grad_outputs.Count} grad_outputs.");
            if (grad_outputs is null)
                foreach (var t in outputs)
                    if (t.numel() != 1)
                        throw new ArgumentException($"grad of a non-scalar output (shape {Tensor.ShapeString(t.shape)}) needs grad_outputs.");
            using var outs = new HandleArray(outputs);
            using var ins = new HandleArray(inputs);
            using var gos = new HandleArray(grad_outputs ?? []);
            var results = new IntPtr[inputs.Count];
            fixed (IntPtr* po = outs.Pointers)
            fixed (IntPtr* pi = ins.Pointers)
            fixed (IntPtr* pg = gos.Pointers)
            fixed (IntPtr* pr = results)
                Status.Check(NativeMethods.fk_grad(po, outs.Length, pi, ins.Length, grad_outputs is null ? null : pg,
                    retain_graph is null ? -1 : retain_graph.Value ? 1 : 0, create_graph ? 1 : 0, allow_unused ? 1 : 0, pr));
            var grads = new Tensor?[results.Length];
            for (int i = 0; i < results.Length; i++) grads[i] = Tensor.WrapOrNull(results[i]);
            return grads;
        }

        /// <summary>Gradient of one scalar output with respect to one input.</summary>
        public static Tensor grad(Tensor output, Tensor input, bool? retain_graph = null, bool create_graph = false) =>
            grad([output], [input], null, retain_graph, create_graph)[0]
            ?? throw new InvalidOperationException("The output does not depend on the input.");

        private static void CheckDifferentiable(IReadOnlyList<Tensor> outputs, string op)
        {
            if (outputs.Count == 0) throw new ArgumentException($"{op} needs at least one output.");
            foreach (var t in outputs)
                if (!t.requires_grad)
                    throw new InvalidOperationException(
                        $"{op}: the output does not require grad, so there is nothing to differentiate. " +
                        "Was it computed under no_grad(), or from tensors none of which require grad?");
        }
    }
}
