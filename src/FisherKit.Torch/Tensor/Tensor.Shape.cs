using FisherKit.Torch.Native;

namespace FisherKit.Torch;

// Shapes and views, joining and splitting, gathering and scattering, dtype/device conversion.
public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Same data with a new shape (a view when possible, else a copy); one size may be -1.</summary>
        public unsafe Tensor reshape(params long[] shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            fixed (long* p = shape)
                return Wrap(NativeMethods.fk_reshape(Handle, p, shape.Length, out var r), r);
        }
        /// <summary>A view with a new shape; fails when the layout does not allow it (use reshape).</summary>
        public unsafe Tensor view(params long[] shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            fixed (long* p = shape)
                return Wrap(NativeMethods.fk_view(Handle, p, shape.Length, out var r), r);
        }
        /// <summary>A broadcast view with size-1 dimensions expanded (-1 keeps a size).</summary>
        public unsafe Tensor expand(params long[] shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            fixed (long* p = shape)
                return Wrap(NativeMethods.fk_expand(Handle, p, shape.Length, out var r), r);
        }
        /// <summary>Expanded to the shape of <paramref name="other"/>.</summary>
        public Tensor expand_as(Tensor other) => expand(other.shape);
        /// <summary>Tiles the tensor: repeats[i] copies along dimension i.</summary>
        public unsafe Tensor repeat(params long[] repeats)
        {
            ArgumentNullException.ThrowIfNull(repeats);
            fixed (long* p = repeats)
                return Wrap(NativeMethods.fk_repeat(Handle, p, repeats.Length, out var r), r);
        }
        /// <summary>Reorders dimensions.</summary>
        public unsafe Tensor permute(params long[] dims)
        {
            ArgumentNullException.ThrowIfNull(dims);
            fixed (long* p = dims)
                return Wrap(NativeMethods.fk_permute(Handle, p, dims.Length, out var r), r);
        }
        /// <summary>Reverses the order of elements along dims.</summary>
        public unsafe Tensor flip(params long[] dims)
        {
            ArgumentNullException.ThrowIfNull(dims);
            fixed (long* p = dims)
                return Wrap(NativeMethods.fk_flip(Handle, p, dims.Length, out var r), r);
        }
        /// <summary>Rolls elements along dims by shifts (wrapping around).</summary>
        public unsafe Tensor roll(long[] shifts, long[] dims)
        {
            if (shifts.Length != dims.Length) throw new ArgumentException($"roll needs as many shifts ({shifts.Length}) as dims ({dims.Length}).");
            fixed (long* s = shifts)
            fixed (long* d = dims)
                return Wrap(NativeMethods.fk_roll(Handle, s, d, shifts.Length, out var r), r);
        }
        /// <summary>Swaps two dimensions (a view).</summary>
        public Tensor transpose(long dim0, long dim1) => Wrap(NativeMethods.fk_transpose(Handle, dim0, dim1, out var r), r);
        /// <summary>Transpose of a matrix (dims 0 and 1).</summary>
        public Tensor t() => transpose(0, 1);
        /// <summary>Transpose of the last two dimensions (batched matrices).</summary>
        public Tensor mT => transpose(-2, -1);
        /// <summary>Moves one dimension to a new position.</summary>
        public Tensor movedim(long source, long destination) => Wrap(NativeMethods.fk_movedim(Handle, source, destination, out var r), r);
        /// <summary>Removes all size-1 dimensions.</summary>
        public Tensor squeeze() => Wrap(NativeMethods.fk_squeeze(Handle, out var r), r);
        /// <summary>Removes dimension <paramref name="dim"/> if its size is 1.</summary>
        public Tensor squeeze(long dim) => Wrap(NativeMethods.fk_squeeze_dim(Handle, dim, out var r), r);
        /// <summary>Inserts a size-1 dimension at <paramref name="dim"/>.</summary>
        public Tensor unsqueeze(long dim) => Wrap(NativeMethods.fk_unsqueeze(Handle, dim, out var r), r);
        /// <summary>Merges dimensions start..end into one.</summary>
        public Tensor flatten(long start_dim = 0, long end_dim = -1) => Wrap(NativeMethods.fk_flatten(Handle, start_dim, end_dim, out var r), r);
        /// <summary>A contiguous tensor with the same values (this data if already contiguous).</summary>
        public Tensor contiguous() => Wrap(NativeMethods.fk_contiguous(Handle, out var r), r);
        /// <summary>A copy that stays in the autograd graph.</summary>
        public Tensor clone() => Wrap(NativeMethods.fk_clone(Handle, out var r), r);
        /// <summary>The same data, cut from the autograd graph.</summary>
        public Tensor detach() => Wrap(NativeMethods.fk_detach(Handle, out var r), r);
        /// <summary>A second .NET reference to the same tensor (disposed independently).</summary>
        public Tensor alias() => Wrap(NativeMethods.fk_alias(Handle, out var r), r);
        /// <summary>A view of <paramref name="length"/> elements along dim starting at start.</summary>
        public Tensor narrow(long dim, long start, long length) => Wrap(NativeMethods.fk_narrow(Handle, dim, start, length, out var r), r);
        /// <summary>A strided view start:end:step along dim.</summary>
        public Tensor slice(long dim, long start, long end, long step = 1)
        {
            if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "slice needs a positive step.");
            return Wrap(NativeMethods.fk_slice(Handle, dim, start, end, step, out var r), r);
        }
        /// <summary>The sub-tensor at <paramref name="index"/> along dim (that dim removed).</summary>
        public Tensor select(long dim, long index) => Wrap(NativeMethods.fk_select(Handle, dim, index, out var r), r);
        /// <summary>Entries at the given indices (int64) along dim.</summary>
        public Tensor index_select(long dim, Tensor index) => Wrap(NativeMethods.fk_index_select(Handle, dim, index.Handle, out var r), r);
        /// <summary>out[i][j] = this[index[i][j]][j] for dim 0, and so on.</summary>
        public Tensor gather(long dim, Tensor index) => Wrap(NativeMethods.fk_gather(Handle, dim, index.Handle, out var r), r);
        /// <summary>A copy with src written at index along dim.</summary>
        public Tensor scatter(long dim, Tensor index, Tensor src) => Wrap(NativeMethods.fk_scatter(Handle, dim, index.Handle, src.Handle, out var r), r);
        /// <summary>A copy with value written at index along dim.</summary>
        public Tensor scatter(long dim, Tensor index, double value) => Wrap(NativeMethods.fk_scatter_scalar(Handle, dim, index.Handle, value, out var r), r);
        /// <summary>A copy with src added at index along dim.</summary>
        public Tensor scatter_add(long dim, Tensor index, Tensor src) => Wrap(NativeMethods.fk_scatter_add(Handle, dim, index.Handle, src.Handle, out var r), r);
        /// <summary>A copy with slices of src added at index along dim.</summary>
        public Tensor index_add(long dim, Tensor index, Tensor src) => Wrap(NativeMethods.fk_index_add(Handle, dim, index.Handle, src.Handle, out var r), r);
        /// <summary>The elements where mask is true, as a 1-D tensor.</summary>
        public Tensor masked_select(Tensor mask) => Wrap(NativeMethods.fk_masked_select(Handle, mask.Handle, out var r), r);
        /// <summary>Indices of non-zero elements, one row per element.</summary>
        public Tensor nonzero() => Wrap(NativeMethods.fk_nonzero(Handle, out var r), r);
        /// <summary>Pieces of <paramref name="size"/> along dim (the last may be smaller).</summary>
        public unsafe Tensor[] split(long size, long dim = 0) { long n; var s = NativeMethods.fk_split(Handle, size, dim, out var a, &n); return WrapList(s, a, n); }
        /// <summary>Pieces of the given sizes along dim.</summary>
        public unsafe Tensor[] split(long[] sizes, long dim = 0)
        {
            IntPtr a; long n; int s;
            fixed (long* p = sizes) s = NativeMethods.fk_split_sizes(Handle, p, sizes.Length, dim, out a, &n);
            return WrapList(s, a, n);
        }
        /// <summary>Splits into <paramref name="chunks"/> nearly equal pieces along dim.</summary>
        public unsafe Tensor[] chunk(long chunks, long dim = 0) { long n; var s = NativeMethods.fk_chunk(Handle, chunks, dim, out var a, &n); return WrapList(s, a, n); }
        /// <summary>The slices along dim, each with that dim removed.</summary>
        public unsafe Tensor[] unbind(long dim = 0) { long n; var s = NativeMethods.fk_unbind(Handle, dim, out var a, &n); return WrapList(s, a, n); }
        /// <summary>Repeats each element <paramref name="repeats"/> times along dim.</summary>
        public Tensor repeat_interleave(long repeats, long dim) => Wrap(NativeMethods.fk_repeat_interleave(Handle, repeats, dim, out var r), r);
        /// <summary>Lower triangle (k-th diagonal and below), rest zero.</summary>
        public Tensor tril(long k = 0) => Wrap(NativeMethods.fk_tril(Handle, k, out var r), r);
        /// <summary>Upper triangle (k-th diagonal and above), rest zero.</summary>
        public Tensor triu(long k = 0) => Wrap(NativeMethods.fk_triu(Handle, k, out var r), r);
        /// <summary>Diagonal of a matrix, or a diagonal matrix from a vector.</summary>
        public Tensor diag(long k = 0) => Wrap(NativeMethods.fk_diag(Handle, k, out var r), r);
        /// <summary>Diagonals over two dims (batched).</summary>
        public Tensor diagonal(long offset = 0, long dim1 = 0, long dim2 = 1) => Wrap(NativeMethods.fk_diagonal(Handle, offset, dim1, dim2, out var r), r);
        /// <summary>Batched diagonal matrices from the last dimension.</summary>
        public Tensor diag_embed() => Wrap(NativeMethods.fk_diag_embed(Handle, out var r), r);
        /// <summary>Counts of each non-negative integer (optionally weighted).</summary>
        public Tensor bincount(Tensor? weights = null, long minlength = 0) => Wrap(NativeMethods.fk_bincount(Handle, HandleOrNull(weights), minlength, out var r), r);
        /// <summary>Distinct values (sorted) and how often each occurs.</summary>
        public (Tensor values, Tensor counts) unique(bool sorted = true)
        {
            Status.Check(NativeMethods.fk_unique(Handle, sorted ? 1 : 0, out var v, out var c));
            return (new Tensor(v), new Tensor(c));
        }

        /// <summary>Converts to a dtype (no copy when already that dtype unless <paramref name="copy"/>).</summary>
        public Tensor to(ScalarType dtype, bool copy = false)
        {
            var d = device;
            return Wrap(NativeMethods.fk_to(Handle, (int)dtype, (int)d.type, d.index, copy ? 1 : 0, out var r), r);
        }
        /// <summary>Moves to a device.</summary>
        public Tensor to(Device device, bool copy = false)
        {
            device.EnsureAvailable();
            return Wrap(NativeMethods.fk_to(Handle, (int)dtype, (int)device.type, device.index, copy ? 1 : 0, out var r), r);
        }
        /// <summary>Moves to a device and converts the dtype in one step.</summary>
        public Tensor to(Device device, ScalarType dtype, bool copy = false)
        {
            device.EnsureAvailable();
            return Wrap(NativeMethods.fk_to(Handle, (int)dtype, (int)device.type, device.index, copy ? 1 : 0, out var r), r);
        }
        /// <summary>Same dtype and device as <paramref name="other"/>.</summary>
        public Tensor type_as(Tensor other) => to(other.device, other.dtype);
        /// <summary>Copy on the CPU (this tensor if already there).</summary>
        public Tensor cpu() => to(CPU);
        /// <summary>Copy on the current CUDA device.</summary>
        public Tensor cuda() => to(CUDA);
        /// <summary>Converted to float32.</summary>
        public Tensor @float() => to(ScalarType.Float32);
        /// <summary>Converted to float64.</summary>
        public Tensor @double() => to(ScalarType.Float64);
        /// <summary>Converted to int64.</summary>
        public Tensor @long() => to(ScalarType.Int64);
        /// <summary>Converted to bool.</summary>
        public Tensor @bool() => to(ScalarType.Bool);

        /// <summary>Pads the last dimensions: pad = (left, right, top, bottom, ...), as F.pad.</summary>
        public unsafe Tensor pad(long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
        {
            if (pad.Length % 2 != 0) throw new ArgumentException($"pad needs pairs of sizes, got {pad.Length} values.", nameof(pad));
            fixed (long* p = pad)
                return Wrap(NativeMethods.fk_pad(Handle, p, pad.Length, (int)mode, value, out var r), r);
        }
    }

    /// <summary>How <see cref="Tensor.pad"/> fills the border.</summary>
    public enum PaddingModes
    {
        /// <summary>A constant value.</summary>
        Constant = 0,
        /// <summary>Mirror without repeating the edge.</summary>
        Reflect = 1,
        /// <summary>Repeat the edge value.</summary>
        Replicate = 2,
        /// <summary>Wrap around.</summary>
        Circular = 3,
    }

    /// <summary>Joins tensors along an existing dimension.</summary>
    public static unsafe Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("cat needs at least one tensor.", nameof(tensors));
        using var h = new HandleArray(tensors);
        fixed (IntPtr* p = h.Pointers)
            return Tensor.Wrap(NativeMethods.fk_cat(p, h.Length, dim, out var r), r);
    }

    /// <summary>Joins tensors of equal shape along a new dimension.</summary>
    public static unsafe Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("stack needs at least one tensor.", nameof(tensors));
        using var h = new HandleArray(tensors);
        fixed (IntPtr* p = h.Pointers)
            return Tensor.Wrap(NativeMethods.fk_stack(p, h.Length, dim, out var r), r);
    }

    /// <summary>Coordinate grids from 1-D tensors ("ij" indexing by default).</summary>
    public static unsafe Tensor[] meshgrid(IReadOnlyList<Tensor> tensors, string indexing = "ij")
    {
        if (indexing is not ("ij" or "xy")) throw new ArgumentException($"indexing must be \"ij\" or \"xy\", got \"{indexing}\".", nameof(indexing));
        using var h = new HandleArray(tensors);
        int s; IntPtr a; long n;
        fixed (IntPtr* p = h.Pointers) s = NativeMethods.fk_meshgrid(p, h.Length, indexing == "ij" ? 1 : 0, out a, &n);
        return Tensor.WrapList(s, a, n);
    }

    /// <summary>Indices into sorted_sequence where values would be inserted to keep it sorted.</summary>
    public static Tensor searchsorted(Tensor sorted_sequence, Tensor values, bool right = false) =>
        Tensor.Wrap(NativeMethods.fk_searchsorted(sorted_sequence.Handle, values.Handle, right ? 1 : 0, out var r), r);
}
