using System.Runtime.CompilerServices;
using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    /// <summary>
    /// A multi-dimensional array on a device, with automatic differentiation, backed by one libtorch
    /// tensor. Each instance owns one native reference: dispose it (or let a <see cref="DisposeScope"/>
    /// do so); the finalizer is only a backstop. Using a disposed tensor throws ObjectDisposedException.
    /// </summary>
    public partial class Tensor : IDisposable
    {
        private readonly TensorHandle _handle;

        internal Tensor(IntPtr native)
        {
            _handle = new TensorHandle(native);
            OwningScope = DisposeScope.Current;
            OwningScope?.Register(this);
        }

        /// <summary>The scope that will dispose this tensor, if any.</summary>
        internal DisposeScope? OwningScope { get; set; }

        /// <summary>The native handle; throws if the tensor was disposed.</summary>
        internal TensorHandle Handle
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get
            {
                if (_handle.IsClosed) ThrowDisposed();
                return _handle;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowDisposed() =>
            throw new ObjectDisposedException(nameof(Tensor), "This tensor has been disposed (directly or by the DisposeScope that owned it); it can no longer be used.");

        /// <summary>True once the tensor's native reference was released.</summary>
        public bool IsDisposed => _handle.IsClosed;

        /// <summary>Releases the native reference now. Safe to call twice.</summary>
        public void Dispose()
        {
            OwningScope?.Forget(this);
            OwningScope = null;
            _handle.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Moves this tensor to the scope enclosing its current one (TorchSharp's name).</summary>
        public Tensor MoveToOuterDisposeScope() => OwningScope is null ? this : OwningScope.MoveToOuter(this);

        /// <summary>Takes this tensor out of every scope: the caller owns it.</summary>
        public Tensor DetachFromDisposeScope() => OwningScope is null ? this : OwningScope.Detach(this);

        // ---- wrapping native results ----

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Tensor Wrap(int status, IntPtr result, [CallerMemberName] string op = "")
        {
            Status.Check(status, op);
            return new Tensor(result);
        }

        internal static Tensor? WrapOrNull(IntPtr result) => result == IntPtr.Zero ? null : new Tensor(result);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal Tensor InPlace(int status, [CallerMemberName] string op = "")
        {
            Status.Check(status, op);
            return this;
        }

        internal static unsafe Tensor[] WrapList(int status, IntPtr array, long n, [CallerMemberName] string op = "")
        {
            Status.Check(status, op);
            try
            {
                var items = (IntPtr*)array;
                var result = new Tensor[n];
                for (long i = 0; i < n; i++) result[i] = new Tensor(items[i]);
                return result;
            }
            finally
            {
                NativeMethods.fk_handles_free(array);
            }
        }

        internal static TensorHandle HandleOrNull(Tensor? t) => t is null ? TensorHandle.Null : t.Handle;

        // ---- properties ----

        /// <summary>Number of dimensions.</summary>
        public unsafe long ndim
        {
            get
            {
                long n;
                Status.Check(NativeMethods.fk_tensor_ndim(Handle, &n));
                return n;
            }
        }

        /// <summary>Number of dimensions (PyTorch's dim()).</summary>
        public long dim() => ndim;

        /// <summary>The size of every dimension.</summary>
        public unsafe long[] shape
        {
            get
            {
                var n = ndim;
                var s = new long[n];
                fixed (long* p = s) Status.Check(NativeMethods.fk_tensor_shape(Handle, p));
                return s;
            }
        }

        /// <summary>The strides (in elements) of every dimension.</summary>
        public unsafe long[] stride()
        {
            var s = new long[ndim];
            fixed (long* p = s) Status.Check(NativeMethods.fk_tensor_strides(Handle, p));
            return s;
        }

        /// <summary>The size of one dimension (negative counts from the end).</summary>
        public long size(long dim)
        {
            var s = shape;
            var d = dim < 0 ? dim + s.Length : dim;
            if (d < 0 || d >= s.Length) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension out of range for a tensor of shape {ShapeString(s)}.");
            return s[d];
        }

        /// <summary>The sizes of all dimensions (same as <see cref="shape"/>).</summary>
        public long[] size() => shape;

        /// <summary>Total number of elements.</summary>
        public unsafe long numel()
        {
            long n;
            Status.Check(NativeMethods.fk_tensor_numel(Handle, &n));
            return n;
        }

        /// <summary>Element type.</summary>
        public unsafe ScalarType dtype
        {
            get
            {
                int t;
                Status.Check(NativeMethods.fk_tensor_dtype(Handle, &t));
                return (ScalarType)t;
            }
        }

        /// <summary>The device holding the data.</summary>
        public unsafe Device device
        {
            get
            {
                int type, index;
                Status.Check(NativeMethods.fk_tensor_device(Handle, &type, &index));
                return type == 0 ? CPU : new Device((DeviceType)type, index);
            }
        }

        /// <summary>Whether operations on this tensor are recorded for differentiation.</summary>
        public unsafe bool requires_grad
        {
            get
            {
                int r;
                Status.Check(NativeMethods.fk_tensor_requires_grad(Handle, &r));
                return r != 0;
            }
            set => Status.Check(NativeMethods.fk_tensor_set_requires_grad(Handle, value ? 1 : 0));
        }

        /// <summary>Sets <see cref="requires_grad"/> and returns this tensor.</summary>
        public Tensor requires_grad_(bool on = true)
        {
            requires_grad = on;
            return this;
        }

        /// <summary>True for tensors created by the user rather than by a recorded operation.</summary>
        public unsafe bool is_leaf
        {
            get
            {
                int r;
                Status.Check(NativeMethods.fk_tensor_is_leaf(Handle, &r));
                return r != 0;
            }
        }

        /// <summary>True when the elements are laid out densely in row-major order.</summary>
        public unsafe bool is_contiguous()
        {
            int r;
            Status.Check(NativeMethods.fk_tensor_is_contiguous(Handle, &r));
            return r != 0;
        }

        /// <summary>True when this tensor was produced by a differentiable operation.</summary>
        public unsafe bool has_grad_fn
        {
            get
            {
                int r;
                Status.Check(NativeMethods.fk_tensor_has_grad_fn(Handle, &r));
                return r != 0;
            }
        }

        /// <summary>
        /// The accumulated gradient (null until a backward pass reaches this leaf). Each read returns a
        /// new reference owned by the caller (or the current scope); setting null clears it.
        /// </summary>
        public Tensor? grad
        {
            get
            {
                Status.Check(NativeMethods.fk_tensor_grad(Handle, out var r));
                return WrapOrNull(r);
            }
            set => Status.Check(NativeMethods.fk_tensor_set_grad(Handle, HandleOrNull(value)));
        }

        /// <summary>Keeps the gradient of a non-leaf tensor after backward.</summary>
        public void retain_grad() => Status.Check(NativeMethods.fk_tensor_retain_grad(Handle));

        /// <summary>
        /// Replaces this tensor's data with <paramref name="data"/>'s, keeping its identity and
        /// requires_grad (Python's <c>p.data = x</c>); used to move parameters between devices and dtypes.
        /// </summary>
        public void set_data(Tensor data) => Status.Check(NativeMethods.fk_tensor_set_data(Handle, data.Handle));

        /// <summary>Address of the first element; only for contiguous CPU tensors, used by kernels written in C#.</summary>
        internal unsafe void* DataPointer
        {
            get
            {
                void* p;
                Status.Check(NativeMethods.fk_tensor_data_ptr(Handle, &p));
                return p;
            }
        }

        /// <summary>Tells autograd that the data was changed in place through <see cref="DataPointer"/>.</summary>
        internal void BumpVersion() => Status.Check(NativeMethods.fk_tensor_bump_version(Handle));

        /// <summary>True when both tensors view the same storage.</summary>
        public unsafe bool is_alias_of(Tensor other)
        {
            int r;
            Status.Check(NativeMethods.fk_tensor_same_storage(Handle, other.Handle, &r));
            return r != 0;
        }

        /// <summary>Formats a shape as [2, 3].</summary>
        public static string ShapeString(long[] s) => "[" + string.Join(", ", s) + "]";
    }
}
