using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>A tensor that no dispose scope owns (parameters, buffers, long-lived state).</summary>
        private protected Tensor(IntPtr native, bool unscoped)
        {
            _handle = new TensorHandle(native);
            if (!unscoped)
            {
                OwningScope = DisposeScope.Current;
                OwningScope?.Register(this);
            }
        }
    }

    public static partial class nn
    {
        /// <summary>
        /// A trainable tensor of a module: a leaf that requires grad, owned by its module (never by a
        /// dispose scope) and disposed with it.
        /// </summary>
        public sealed class Parameter : Tensor
        {
            /// <summary>Wraps <paramref name="data"/>'s storage (no copy) as a new leaf parameter.</summary>
            public Parameter(Tensor data, bool requires_grad = true) : base(Detached(data), unscoped: true)
            {
                if (requires_grad) this.requires_grad = true;
            }

            private static IntPtr Detached(Tensor data)
            {
                ArgumentNullException.ThrowIfNull(data);
                Status.Check(NativeMethods.fk_detach(data.Handle, out var r), "Parameter");
                return r;
            }
        }

        /// <summary>A module's non-trainable state (running statistics), owned by the module.</summary>
        internal sealed class Buffer : Tensor
        {
            internal Buffer(Tensor data) : base(Detached(data), unscoped: true) { }

            private static IntPtr Detached(Tensor data)
            {
                Status.Check(NativeMethods.fk_detach(data.Handle, out var r), "register_buffer");
                return r;
            }
        }
    }
}
