namespace FisherKit.Torch;

public static partial class torch
{
    /// <summary>
    /// One entry of an indexing expression <c>x[i, 1..3, TensorIndex.Ellipsis, mask]</c>: an integer
    /// (removes the dimension), a range or <see cref="Slice"/> (keeps it), <see cref="Ellipsis"/>,
    /// <see cref="None"/> (inserts a size-1 dimension), or a tensor (int64 indices or a bool mask).
    /// </summary>
    public readonly struct TensorIndex
    {
        internal enum Kind { Single, Slice, Ellipsis, None, Tensor }

        internal Kind Type { get; }
        internal long Index { get; }
        internal long? Start { get; }
        internal long? Stop { get; }
        internal long Step { get; }
        internal bool StartFromEnd { get; }
        internal bool StopFromEnd { get; }
        internal Tensor? Tensor { get; }

        private TensorIndex(Kind type, long index = 0, long? start = null, long? stop = null, long step = 1, bool startFromEnd = false, bool stopFromEnd = false, Tensor? tensor = null)
        {
            Type = type;
            Index = index;
            Start = start;
            Stop = stop;
            Step = step;
            StartFromEnd = startFromEnd;
            StopFromEnd = stopFromEnd;
            Tensor = tensor;
        }

        /// <summary>All remaining dimensions (Python's <c>...</c>).</summary>
        public static TensorIndex Ellipsis => new(Kind.Ellipsis);

        /// <summary>A new size-1 dimension (Python's <c>None</c>).</summary>
        public static TensorIndex None => new(Kind.None);

        /// <summary>start:stop:step, where negative values count from the end and null means the edge.</summary>
        public static TensorIndex Slice(long? start = null, long? stop = null, long step = 1)
        {
            if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "Slices need a positive step.");
            return new(Kind.Slice, start: start, stop: stop, step: step);
        }

        /// <summary>A single position (negative counts from the end).</summary>
        public static TensorIndex Single(long index) => new(Kind.Single, index);

#pragma warning disable CS1591 // conversions mirror the factories above
        public static implicit operator TensorIndex(long index) => Single(index);
        public static implicit operator TensorIndex(int index) => Single(index);
        public static implicit operator TensorIndex(Tensor index) => new(Kind.Tensor, tensor: index);
        public static implicit operator TensorIndex(Index index) =>
            !index.IsFromEnd ? Single(index.Value) :
            index.Value > 0 ? Single(-(long)index.Value) :
            throw new ArgumentOutOfRangeException(nameof(index), "^0 points past the last element; use ^1 for the last one.");
        public static implicit operator TensorIndex(Range range) => new(Kind.Slice,
            start: range.Start.Value, stop: range.End.IsFromEnd && range.End.Value == 0 ? null : range.End.Value,
            startFromEnd: range.Start.IsFromEnd, stopFromEnd: range.End.IsFromEnd);
#pragma warning restore CS1591

        internal (long start, long stop) Resolve(long size)
        {
            long start = Start is null ? 0 : StartFromEnd ? size - Start.Value : Start.Value;
            long stop = Stop is null ? size : StopFromEnd ? size - Stop.Value : Stop.Value;
            if (start < 0) start += size;
            if (stop < 0) stop += size;
            start = Math.Clamp(start, 0, size);
            stop = Math.Clamp(stop, start, size);
            return (start, stop);
        }
    }
}
