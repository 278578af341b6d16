using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>
        /// NumPy/PyTorch-style indexing. Integers, ranges, <see cref="TensorIndex.Ellipsis"/> and
        /// <see cref="TensorIndex.None"/> give views; tensor indices (int64 positions or bool masks)
        /// give copies. Assigning writes through to this tensor.
        /// </summary>
        /// <example><code>var row = x[0]; var block = x[.., 1..3]; x[mask] = zeros; var last = x[TensorIndex.Ellipsis, ^1];</code></example>
        public Tensor this[params TensorIndex[] indices]
        {
            get => Index(indices);
            set => IndexPut(indices, value);
        }

        private Tensor Index(TensorIndex[] indices)
        {
            var (view, advanced) = BasicIndex(indices);
            if (advanced.Count == 0) return view;
            using (view) return AdvancedIndex(view, advanced);
        }

        private void IndexPut(TensorIndex[] indices, Tensor value)
        {
            var (view, advanced) = BasicIndex(indices);
            using (view)
            {
                if (advanced.Count == 0) { view.copy_(value); return; }
                unsafe
                {
                    var list = AdvancedList(view, advanced);
                    using var h = new HandleArray(list);
                    fixed (IntPtr* p = h.Pointers)
                        Status.Check(NativeMethods.fk_index_put_(view.Handle, p, h.Length, value.Handle, 0), "index_put_");
                }
            }
        }

        /// <summary>Assigns a scalar to the indexed elements.</summary>
        public void SetValue(double value, params TensorIndex[] indices)
        {
            using var v = full([], value, dtype, device);
            IndexPut(indices, v);
        }

        /// <summary>Applies the view-producing part of an index; advanced (tensor) entries are returned with their dim.</summary>
        private (Tensor view, List<(long dim, Tensor index)> advanced) BasicIndex(TensorIndex[] indices)
        {
            int ellipses = indices.Count(i => i.Type == TensorIndex.Kind.Ellipsis);
            if (ellipses > 1) throw new ArgumentException("An index may contain at most one Ellipsis.");
            long nd = ndim;
            long consumed = indices.Count(i => i.Type is TensorIndex.Kind.Single or TensorIndex.Kind.Slice)
                            + indices.Where(i => i.Type == TensorIndex.Kind.Tensor).Sum(i => i.Tensor!.dtype == ScalarType.Bool ? i.Tensor.ndim : 1);
            if (consumed > nd) throw new ArgumentException($"Too many indices ({consumed}) for a tensor of shape {ShapeString(shape)}.");
            var advanced = new List<(long, Tensor)>();
            var current = alias();
            long dim = 0;
            try
            {
                foreach (var ix in indices)
                {
                    Tensor next;
                    switch (ix.Type)
                    {
                        case TensorIndex.Kind.Single:
                            {
                                var size = current.size(dim);
                                var i = ix.Index < 0 ? ix.Index + size : ix.Index;
                                if (i < 0 || i >= size) throw new IndexOutOfRangeException($"Index {ix.Index} is out of bounds for dimension {dim} of size {size}.");
                                next = current.select(dim, i);
                                break;
                            }
                        case TensorIndex.Kind.Slice:
                            {
                                var (start, stop) = ix.Resolve(current.size(dim));
                                next = current.slice(dim, start, stop, ix.Step);
                                dim++;
                                break;
                            }
                        case TensorIndex.Kind.None:
                            next = current.unsqueeze(dim);
                            dim++;
                            break;
                        case TensorIndex.Kind.Ellipsis:
                            dim += current.ndim - dim - (consumed - CountConsumedBefore(indices, ix));
                            continue;
                        default:
                            advanced.Add((dim, ix.Tensor!));
                            dim += ix.Tensor!.dtype == ScalarType.Bool ? ix.Tensor.ndim : 1;
                            continue;
                    }
                    current.Dispose();
                    current = next;
                }
                return (current, advanced);
            }
            catch
            {
                current.Dispose();
                throw;
            }
        }

        private static long CountConsumedBefore(TensorIndex[] indices, TensorIndex ellipsis)
        {
            // dims consumed by entries before the ellipsis (they are already applied)
            long n = 0;
            foreach (var ix in indices)
            {
                if (ix.Type == TensorIndex.Kind.Ellipsis) break;
                if (ix.Type is TensorIndex.Kind.Single or TensorIndex.Kind.Slice) n++;
                else if (ix.Type == TensorIndex.Kind.Tensor) n += ix.Tensor!.dtype == ScalarType.Bool ? ix.Tensor.ndim : 1;
            }
            return n;
        }

        /// <summary>
        /// libtorch's index list: one entry per dimension (null = keep whole), except that a bool mask
        /// is a single entry covering as many dimensions as it has.
        /// </summary>
        private static List<Tensor?> AdvancedList(Tensor view, List<(long dim, Tensor index)> advanced)
        {
            var list = new List<Tensor?>();
            long covered = 0;
            foreach (var (dim, index) in advanced)
            {
                for (; covered < dim; covered++) list.Add(null);
                list.Add(index);
                covered += index.dtype == ScalarType.Bool ? index.ndim : 1;
            }
            return list;
        }

        private static unsafe Tensor AdvancedIndex(Tensor view, List<(long dim, Tensor index)> advanced)
        {
            var list = AdvancedList(view, advanced);
            using var h = new HandleArray(list);
            fixed (IntPtr* p = h.Pointers)
                return Wrap(NativeMethods.fk_index(view.Handle, p, h.Length, out var r), r, "index");
        }
    }
}
