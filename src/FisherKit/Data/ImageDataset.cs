using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Data;

/// <summary>
/// A labelled image data set held in memory: images (N, C, H, W) float32 scaled to [0, 1] and labels
/// (N) int64. Indexing, subsets and batches are tensor operations on the whole set, so they are
/// cheap; every method that derives a new set (subset, shuffle, split, class filter, corruption)
/// returns a new <see cref="ImageDataset"/> and leaves this one unchanged. A data set owns its
/// tensors (they belong to no dispose scope): dispose it when done.
/// </summary>
/// <example>
/// <code>
/// using var train = Datasets.FashionMnist(DatasetPart.Train);
/// var (fit, validation) = train.Split(validationFraction: 0.1, seed: 1);
/// foreach (var batch in fit.Batches(128, shuffle: true, seed: epoch))
/// {
///     using var scope = torch.NewDisposeScope();
///     var loss = nn.functional.cross_entropy(model.call(batch.Images), batch.Labels);
/// }
/// </code>
/// </example>
public sealed class ImageDataset : IDisposable
{
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly string[] _classNames;
    private bool _disposed;

    /// <summary>
    /// Wraps images (N, C, H, W) float32 with values in [0, 1] and labels (N) int64. The data set keeps
    /// its own references to the tensors' storage (detached from autograd), so the caller may dispose
    /// its tensors; it must not change them in place afterwards. <paramref name="classNames"/> fixes the
    /// number of classes (labels must lie below it); without it, classes are 0..max(label).
    /// </summary>
    public ImageDataset(Tensor images, Tensor labels, IReadOnlyList<string>? classNames = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        var (classes, names) = Validate(images, labels, classNames);
        using (no_grad())
        {
            _images = images.detach().DetachFromDisposeScope();
            _labels = labels.detach().DetachFromDisposeScope();
        }
        _classNames = names ?? DefaultNames(classes);
        Name = name ?? "images";
    }

    /// <summary>Takes ownership of tensors already validated (internal derivations).</summary>
    private ImageDataset(Tensor images, Tensor labels, string[] classNames, string name, bool _)
    {
        _images = images.DetachFromDisposeScope();
        _labels = labels.DetachFromDisposeScope();
        _classNames = classNames;
        Name = name;
    }

    /// <summary>
    /// Builds a data set from 8-bit pixels: <paramref name="pixels"/> holds <paramref name="count"/>
    /// images of (<paramref name="channels"/>, <paramref name="height"/>, <paramref name="width"/>)
    /// row-major (channel planes one after the other), scaled by 1/255.
    /// </summary>
    public static ImageDataset FromBytes(byte[] pixels, long count, int channels, int height, int width, long[] labels, IReadOnlyList<string>? classNames = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (count <= 0 || channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"Sizes must be positive, got count {count}, channels {channels}, height {height}, width {width}.");
        if (pixels.LongLength != count * channels * height * width)
            throw new ArgumentException($"{count} images of {channels}x{height}x{width} need {count * channels * height * width} bytes, got {pixels.LongLength}.", nameof(pixels));
        if (labels.LongLength != count)
            throw new ArgumentException($"{count} images but {labels.LongLength} labels.", nameof(labels));
        using var scope = NewDisposeScope();
        var raw = tensor(pixels, [count, channels, height, width]);
        var images = raw.to(ScalarType.Float32).div_(Hold(255.0));
        var y = tensor(labels);
        return new ImageDataset(images, y, classNames, name);
    }

    /// <summary>A short name shown in tables and figures ("fashion-mnist/test", "mnist-digits", ...).</summary>
    public string Name { get; }

    /// <summary>All images (N, C, H, W), float32 in [0, 1]. Owned by the data set: do not dispose or modify.</summary>
    public Tensor Images => Alive(_images);

    /// <summary>All labels (N), int64. Owned by the data set: do not dispose or modify.</summary>
    public Tensor Labels => Alive(_labels);

    /// <summary>Number of samples N.</summary>
    public long Count => Alive(_images).size(0);

    /// <summary>Channels per image.</summary>
    public long Channels => _images.size(1);

    /// <summary>Image height in pixels.</summary>
    public long Height => _images.size(2);

    /// <summary>Image width in pixels.</summary>
    public long Width => _images.size(3);

    /// <summary>Number of classes (also counting classes that no sample of this subset has).</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The labels as a .NET array.</summary>
    public long[] LabelArray() => Alive(_labels).ToArray<long>();

    /// <summary>Number of samples of each class (length <see cref="ClassCount"/>).</summary>
    public long[] ClassCounts()
    {
        var counts = new long[ClassCount];
        foreach (var y in LabelArray()) counts[y]++;
        return counts;
    }

    /// <summary>One sample: the image (C, H, W) as a new tensor in the caller's scope, and its label.</summary>
    public (Tensor Image, long Label) this[long index]
    {
        get
        {
            CheckIndex(index);
            using var label = _labels[index];
            return (_images[index], label.item<long>());
        }
    }

    /// <summary>The samples at <paramref name="indices"/> (repeats allowed), in that order.</summary>
    public ImageDataset Subset(IReadOnlyList<long> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        foreach (var i in indices) CheckIndex(i);
        using var scope = NewDisposeScope();
        var idx = tensor(indices.ToArray());
        return new ImageDataset(_images.index_select(0, idx), _labels.index_select(0, idx), _classNames, name ?? Name, true);
    }

    /// <summary>The samples start, start+1, ..., start+count−1.</summary>
    public ImageDataset Slice(long start, long count, string? name = null)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Slice [{start}, {start + count}) lies outside a data set of {Count} samples.");
        using var scope = NewDisposeScope();
        return new ImageDataset(_images.narrow(0, start, count).contiguous().clone(), _labels.narrow(0, start, count).clone(), _classNames, name ?? Name, true);
    }

    /// <summary>The first <paramref name="count"/> samples (all of them if there are fewer).</summary>
    public ImageDataset Take(long count) => Slice(0, Math.Min(Math.Max(count, 0), Count));

    /// <summary>A random permutation of the positions 0..N−1, the same for the same seed.</summary>
    public long[] Permutation(long seed)
    {
        using var g = new Generator((ulong)seed);
        using var p = randperm(Count, generator: g);
        return p.ToArray<long>();
    }

    /// <summary>The same samples in a random order fixed by <paramref name="seed"/>.</summary>
    public ImageDataset Shuffle(long seed) => Subset(Permutation(seed));

    /// <summary>
    /// Splits into a training and a validation part. With <paramref name="stratified"/> (the default)
    /// each class contributes round(fraction · its count) samples to the validation part, so both parts
    /// keep the class proportions; otherwise the validation part is the first round(fraction · N)
    /// samples of a random permutation. Both parts are in random order; the seed fixes everything.
    /// </summary>
    public (ImageDataset Train, ImageDataset Validation) Split(double validationFraction, long seed, bool stratified = true)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie strictly between 0 and 1.");
        var order = Permutation(seed);
        var train = new List<long>();
        var validation = new List<long>();
        if (stratified)
        {
            var labels = LabelArray();
            var perClass = new List<long>[ClassCount];
            for (int c = 0; c < ClassCount; c++) perClass[c] = [];
            foreach (var i in order) perClass[labels[i]].Add(i);
            var inValidation = new HashSet<long>();
            foreach (var members in perClass)
            {
                var k = (int)Math.Round(validationFraction * members.Count, MidpointRounding.AwayFromZero);
                for (int j = 0; j < k; j++) inValidation.Add(members[j]);
            }
            foreach (var i in order) (inValidation.Contains(i) ? validation : train).Add(i);
        }
        else
        {
            var k = (long)Math.Round(validationFraction * order.Length, MidpointRounding.AwayFromZero);
            for (long j = 0; j < order.Length; j++) (j < k ? validation : train).Add(order[j]);
        }
        if (train.Count == 0 || validation.Count == 0)
            throw new ArgumentException($"A validation fraction of {validationFraction} of {Count} samples leaves one part empty.", nameof(validationFraction));
        return (Subset(train, Name + "/train"), Subset(validation, Name + "/validation"));
    }

    /// <summary>The samples whose label satisfies <paramref name="keep"/>, in their original order.</summary>
    public ImageDataset WhereLabel(Func<long, bool> keep, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var labels = LabelArray();
        var indices = new List<long>();
        for (long i = 0; i < labels.LongLength; i++)
            if (keep(labels[i])) indices.Add(i);
        if (indices.Count == 0) throw new ArgumentException("No sample satisfies the label filter; the result would be empty.", nameof(keep));
        return Subset(indices, name);
    }

    /// <summary>The samples of the given classes only (labels unchanged).</summary>
    public ImageDataset OnlyClasses(params long[] classes)
    {
        CheckClasses(classes);
        var set = classes.ToHashSet();
        return WhereLabel(set.Contains, $"{Name}[{string.Join(",", classes)}]");
    }

    /// <summary>
    /// All samples except those of the given classes, e.g. to hold a class out at training. Labels are
    /// unchanged (the classifier keeps <see cref="ClassCount"/> outputs; the held-out output is never a
    /// training target).
    /// </summary>
    public ImageDataset WithoutClasses(params long[] classes)
    {
        CheckClasses(classes);
        var set = classes.ToHashSet();
        return WhereLabel(y => !set.Contains(y), $"{Name}[without {string.Join(",", classes)}]");
    }

    /// <summary>
    /// Applies <paramref name="transform"/> (images (B, C, H, W) → images of the same shape and range)
    /// batch by batch, keeping labels, and returns the transformed set. Results are clamped to [0, 1].
    /// </summary>
    public ImageDataset Map(Func<Tensor, Tensor> transform, string? name = null, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(transform);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        using (no_grad())
        {
            for (long start = 0; start < Count; start += batchSize)
            {
                var len = Math.Min(batchSize, Count - start);
                var x = _images.narrow(0, start, len);
                var y = transform(x);
                if (!y.shape.SequenceEqual(x.shape))
                    throw new InvalidOperationException($"The transform changed the batch shape from {TensorChecks.Shape(x.shape)} to {TensorChecks.Shape(y.shape)}.");
                parts.Add(y.to(ScalarType.Float32).clamp(Hold(0), Hold(1)));
            }
        }
        return new ImageDataset(cat(parts, 0), _labels.clone(), _classNames, name ?? Name, true);
    }

    /// <summary>
    /// The set with a corruption of the given strength applied to every image (see
    /// <see cref="Corruptions"/> for the meaning of strength per kind). Random corruptions (noise,
    /// occlusion) draw from one generator seeded with <paramref name="seed"/>, batch after batch: the
    /// same seed and batch size give the same images.
    /// </summary>
    public ImageDataset Corrupt(CorruptionKind kind, double strength, long seed = 0, int batchSize = 1024)
    {
        using var g = new Generator((ulong)seed);
        return Map(x => Corruptions.Apply(x, kind, strength, g), $"{Name}+{kind.ToString().ToLowerInvariant()}({strength.ToString(System.Globalization.CultureInfo.InvariantCulture)})", batchSize);
    }

    /// <summary>Joins data sets with the same image shape and classes.</summary>
    public static ImageDataset Concat(IReadOnlyList<ImageDataset> sets, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 0) throw new ArgumentException("Concat needs at least one data set.", nameof(sets));
        var first = sets[0];
        foreach (var s in sets)
        {
            if (!s.Images.shape.Skip(1).SequenceEqual(first.Images.shape.Skip(1)))
                throw new ArgumentException($"Image shapes differ: {TensorChecks.Shape(first.Images.shape)} vs {TensorChecks.Shape(s.Images.shape)}.", nameof(sets));
            if (!s._classNames.SequenceEqual(first._classNames))
                throw new ArgumentException($"Class lists differ between {first.Name} and {s.Name}.", nameof(sets));
        }
        using var scope = NewDisposeScope();
        return new ImageDataset(cat(sets.Select(s => s.Images).ToList(), 0), cat(sets.Select(s => s.Labels).ToList(), 0), first._classNames,
            name ?? string.Join("+", sets.Select(s => s.Name)), true);
    }

    /// <summary>
    /// Mini-batches in order, or shuffled with <paramref name="seed"/> (use the epoch number as seed for
    /// a new order each epoch). Each batch is disposed when the loop moves to the next one; the last
    /// batch is smaller unless <paramref name="dropLast"/>. Batches are moved to <paramref name="device"/>.
    /// </summary>
    public IEnumerable<Batch> Batches(int batchSize, bool shuffle = false, long seed = 0, bool dropLast = false, Device? device = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        Alive(_images);
        var order = shuffle ? Permutation(seed) : null;
        return Enumerate(batchSize, order, dropLast, device);
    }

    private IEnumerable<Batch> Enumerate(int batchSize, long[]? order, bool dropLast, Device? device)
    {
        Batch? current = null;
        try
        {
            for (long start = 0; start < Count; start += batchSize)
            {
                var len = Math.Min(batchSize, Count - start);
                if (dropLast && len < batchSize) yield break;
                current?.Dispose();
                current = MakeBatch(order, start, len, device);
                yield return current;
            }
        }
        finally
        {
            current?.Dispose();
        }
    }

    private Batch MakeBatch(long[]? order, long start, long len, Device? device)
    {
        Alive(_images);
        var indices = new long[len];
        for (long j = 0; j < len; j++) indices[j] = order is null ? start + j : order[start + j];
        using var scope = NewDisposeScope();
        Tensor x, y;
        if (order is null)
        {
            x = _images.narrow(0, start, len);
            y = _labels.narrow(0, start, len);
        }
        else
        {
            var idx = tensor(indices);
            x = _images.index_select(0, idx);
            y = _labels.index_select(0, idx);
        }
        if (device is not null && device != x.device)
        {
            x = x.to(device);
            y = y.to(device);
        }
        return new Batch(scope.Detach(x), scope.Detach(y), indices);
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _images.Dispose();
        _labels.Dispose();
    }

    /// <summary>Name, size, image shape and classes.</summary>
    public override string ToString() =>
        _disposed ? $"ImageDataset({Name}, disposed)" : $"ImageDataset({Name}: {Count} images {Channels}x{Height}x{Width}, {ClassCount} classes)";

    private Tensor Alive(Tensor t)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return t;
    }

    private void CheckIndex(long index)
    {
        if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The data set has {Count} samples.");
    }

    private void CheckClasses(long[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Length == 0) throw new ArgumentException("Name at least one class.", nameof(classes));
        foreach (var c in classes)
            if (c < 0 || c >= ClassCount) throw new ArgumentOutOfRangeException(nameof(classes), c, $"Classes are 0..{ClassCount - 1}.");
    }

    private static string[] DefaultNames(int classes) =>
        Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static (int classes, string[]? names) Validate(Tensor images, Tensor labels, IReadOnlyList<string>? classNames)
    {
        if (images.ndim != 4)
            throw new ArgumentException($"Images must have shape (N, C, H, W); got {TensorChecks.Shape(images.shape)}.", nameof(images));
        if (images.dtype != ScalarType.Float32)
            throw new ArgumentException($"Images must be float32 scaled to [0, 1]; got {images.dtype}.", nameof(images));
        if (labels.ndim != 1 || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Labels must be a 1-D int64 tensor; got shape {TensorChecks.Shape(labels.shape)} of {labels.dtype}.", nameof(labels));
        long n = images.size(0);
        if (labels.size(0) != n)
            throw new ArgumentException($"{n} images but {labels.size(0)} labels.", nameof(labels));
        if (n == 0) throw new ArgumentException("A data set needs at least one image.", nameof(images));
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            if (!images.isfinite().all().item<bool>())
                throw new ArgumentException("Images contain NaN or infinite values.", nameof(images));
            double lo = images.min().ToDouble(), hi = images.max().ToDouble();
            if (lo < 0 || hi > 1)
                throw new ArgumentException($"Image values must lie in [0, 1]; they span [{lo}, {hi}] (divide 8-bit pixels by 255).", nameof(images));
            long minLabel = labels.min().item<long>(), maxLabel = labels.max().item<long>();
            if (minLabel < 0) throw new ArgumentException($"Labels must be non-negative; found {minLabel}.", nameof(labels));
            if (classNames is not null)
            {
                if (classNames.Count == 0) throw new ArgumentException("The class-name list is empty.", nameof(classNames));
                if (maxLabel >= classNames.Count)
                    throw new ArgumentException($"Label {maxLabel} has no name: {classNames.Count} class names were given.", nameof(labels));
                return (classNames.Count, classNames.ToArray());
            }
            return ((int)maxLabel + 1, null);
        }
    }
}
