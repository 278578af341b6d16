using FisherKit.Torch.Native;

namespace FisherKit.Torch;

// Reductions over all elements or over chosen dimensions (negative dims count from the end).
public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Sum of all elements (optionally accumulated in <paramref name="dtype"/>).</summary>
        public unsafe Tensor sum(ScalarType? dtype = null) =>
            Wrap(NativeMethods.fk_sum(Handle, null, 0, 0, dtype is null ? -1 : (int)dtype, out var r), r);
        /// <summary>Sum over <paramref name="dims"/>.</summary>
        public unsafe Tensor sum(long[] dims, bool keepdim = false, ScalarType? dtype = null)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_sum(Handle, pd, dims.Length, keepdim ? 1 : 0, dtype is null ? -1 : (int)dtype, out var r), r);
        }
        /// <summary>Sum over one dimension.</summary>
        public Tensor sum(long dim, bool keepdim = false, ScalarType? dtype = null) => sum([dim], keepdim, dtype);
        /// <summary>
        /// Sum over one dimension. This <c>int</c> overload exists so that <c>x.sum(0)</c> means dimension 0:
        /// C# converts the literal 0 to any enum, so without it the call would bind to
        /// <see cref="sum(ScalarType?)"/> and sum everything in <see cref="ScalarType.Byte"/>.
        /// </summary>
        public Tensor sum(int dim, bool keepdim = false, ScalarType? dtype = null) => sum([(long)dim], keepdim, dtype);

        /// <summary>Mean of all elements.</summary>
        public unsafe Tensor mean() => Wrap(NativeMethods.fk_mean(Handle, null, 0, 0, out var r), r);
        /// <summary>Mean over <paramref name="dims"/>.</summary>
        public unsafe Tensor mean(long[] dims, bool keepdim = false)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_mean(Handle, pd, dims.Length, keepdim ? 1 : 0, out var r), r);
        }
        /// <summary>Mean over one dimension.</summary>
        public Tensor mean(long dim, bool keepdim = false) => mean([dim], keepdim);

        /// <summary>Product of all elements.</summary>
        public Tensor prod() => Wrap(NativeMethods.fk_prod(Handle, 0, 1, 0, out var r), r);
        /// <summary>Product over one dimension.</summary>
        public Tensor prod(long dim, bool keepdim = false) => Wrap(NativeMethods.fk_prod(Handle, dim, 0, keepdim ? 1 : 0, out var r), r);

        /// <summary>Largest element.</summary>
        public Tensor max() => Wrap(NativeMethods.fk_max_all(Handle, out var r), r);
        /// <summary>Largest values along a dimension and their indices.</summary>
        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
        {
            Status.Check(NativeMethods.fk_max_dim(Handle, dim, keepdim ? 1 : 0, out var v, out var i));
            return (new Tensor(v), new Tensor(i));
        }
        /// <summary>Smallest element.</summary>
        public Tensor min() => Wrap(NativeMethods.fk_min_all(Handle, out var r), r);
        /// <summary>Smallest values along a dimension and their indices.</summary>
        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
        {
            Status.Check(NativeMethods.fk_min_dim(Handle, dim, keepdim ? 1 : 0, out var v, out var i));
            return (new Tensor(v), new Tensor(i));
        }
        /// <summary>Maximum over dims (values only, differentiable).</summary>
        public unsafe Tensor amax(long[] dims, bool keepdim = false)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_amax(Handle, pd, dims.Length, keepdim ? 1 : 0, out var r), r);
        }
        /// <summary>Minimum over dims (values only, differentiable).</summary>
        public unsafe Tensor amin(long[] dims, bool keepdim = false)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_amin(Handle, pd, dims.Length, keepdim ? 1 : 0, out var r), r);
        }
        /// <summary>Index of the largest element of the flattened tensor.</summary>
        public Tensor argmax() => Wrap(NativeMethods.fk_argmax(Handle, 0, 1, 0, out var r), r);
        /// <summary>Indices of the largest elements along a dimension.</summary>
        public Tensor argmax(long dim, bool keepdim = false) => Wrap(NativeMethods.fk_argmax(Handle, dim, 0, keepdim ? 1 : 0, out var r), r);
        /// <summary>Index of the smallest element of the flattened tensor.</summary>
        public Tensor argmin() => Wrap(NativeMethods.fk_argmin(Handle, 0, 1, 0, out var r), r);
        /// <summary>Indices of the smallest elements along a dimension.</summary>
        public Tensor argmin(long dim, bool keepdim = false) => Wrap(NativeMethods.fk_argmin(Handle, dim, 0, keepdim ? 1 : 0, out var r), r);

        /// <summary>Variance of all elements (unbiased: divide by n−1).</summary>
        public unsafe Tensor var(bool unbiased = true) => Wrap(NativeMethods.fk_var(Handle, null, 0, 0, unbiased ? 1 : 0, out var r), r);
        /// <summary>Variance over dims.</summary>
        public unsafe Tensor var(long[] dims, bool unbiased = true, bool keepdim = false)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_var(Handle, pd, dims.Length, keepdim ? 1 : 0, unbiased ? 1 : 0, out var r), r);
        }
        /// <summary>Variance over one dimension.</summary>
        public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => var([dim], unbiased, keepdim);
        /// <summary>Standard deviation of all elements (unbiased: divide by n−1).</summary>
        public unsafe Tensor std(bool unbiased = true) => Wrap(NativeMethods.fk_std(Handle, null, 0, 0, unbiased ? 1 : 0, out var r), r);
        /// <summary>Standard deviation over dims.</summary>
        public unsafe Tensor std(long[] dims, bool unbiased = true, bool keepdim = false)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_std(Handle, pd, dims.Length, keepdim ? 1 : 0, unbiased ? 1 : 0, out var r), r);
        }
        /// <summary>Standard deviation over one dimension.</summary>
        public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => std([dim], unbiased, keepdim);

        /// <summary>p-norm of all elements (default Euclidean).</summary>
        public unsafe Tensor norm(double p = 2) => Wrap(NativeMethods.fk_norm(Handle, p, null, 0, 0, out var r), r);
        /// <summary>p-norm over dims.</summary>
        public unsafe Tensor norm(long[] dims, bool keepdim = false, double p = 2)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_norm(Handle, p, pd, dims.Length, keepdim ? 1 : 0, out var r), r);
        }
        /// <summary>p-norm over one dimension.</summary>
        public Tensor norm(long dim, bool keepdim = false, double p = 2) => norm([dim], keepdim, p);

        /// <summary>log Σ exp over dims, computed stably.</summary>
        public unsafe Tensor logsumexp(long[] dims, bool keepdim = false)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_logsumexp(Handle, pd, dims.Length, keepdim ? 1 : 0, out var r), r);
        }
        /// <summary>log Σ exp over one dimension, computed stably.</summary>
        public Tensor logsumexp(long dim, bool keepdim = false) => logsumexp([dim], keepdim);
        /// <summary>Running sum along a dimension.</summary>
        public Tensor cumsum(long dim) => Wrap(NativeMethods.fk_cumsum(Handle, dim, out var r), r);
        /// <summary>Running product along a dimension.</summary>
        public Tensor cumprod(long dim) => Wrap(NativeMethods.fk_cumprod(Handle, dim, out var r), r);
        /// <summary>True when every element is non-zero.</summary>
        public Tensor all() => Wrap(NativeMethods.fk_all(Handle, out var r), r);
        /// <summary>True along dim where every element is non-zero.</summary>
        public Tensor all(long dim, bool keepdim = false) => Wrap(NativeMethods.fk_all_dim(Handle, dim, keepdim ? 1 : 0, out var r), r);
        /// <summary>True when some element is non-zero.</summary>
        public Tensor any() => Wrap(NativeMethods.fk_any(Handle, out var r), r);
        /// <summary>True along dim where some element is non-zero.</summary>
        public Tensor any(long dim, bool keepdim = false) => Wrap(NativeMethods.fk_any_dim(Handle, dim, keepdim ? 1 : 0, out var r), r);
        /// <summary>Number of non-zero elements over dims (all dims when empty).</summary>
        public unsafe Tensor count_nonzero(params long[] dims)
        {
            fixed (long* pd = dims)
                return Wrap(NativeMethods.fk_count_nonzero(Handle, pd, dims.Length, 0, out var r), r);
        }
        /// <summary>Sorted values and their original indices along a dimension.</summary>
        public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false, bool stable = false)
        {
            Status.Check(NativeMethods.fk_sort(Handle, dim, descending ? 1 : 0, stable ? 1 : 0, out var v, out var i));
            return (new Tensor(v), new Tensor(i));
        }
        /// <summary>Indices that sort the tensor along a dimension.</summary>
        public Tensor argsort(long dim = -1, bool descending = false) => Wrap(NativeMethods.fk_argsort(Handle, dim, descending ? 1 : 0, out var r), r);
        /// <summary>The k largest (or smallest) values along a dimension and their indices.</summary>
        public (Tensor values, Tensor indices) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
        {
            Status.Check(NativeMethods.fk_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var v, out var i));
            return (new Tensor(v), new Tensor(i));
        }
        /// <summary>Median of all elements (lower of the two middle values for even counts).</summary>
        public Tensor median() => Wrap(NativeMethods.fk_median(Handle, out var r), r);
        /// <summary>Quantiles q (in [0,1]) of all elements, linear interpolation.</summary>
        public Tensor quantile(Tensor q) => Wrap(NativeMethods.fk_quantile(Handle, q.Handle, 0, 1, 0, out var r), r);
        /// <summary>Quantiles q along a dimension.</summary>
        public Tensor quantile(Tensor q, long dim, bool keepdim = false) => Wrap(NativeMethods.fk_quantile(Handle, q.Handle, dim, 0, keepdim ? 1 : 0, out var r), r);
    }
}
