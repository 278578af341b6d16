namespace FisherKit.Data;

/// <summary>
/// Reads the binary version of CIFAR-10 (Krizhevsky 2009; files <c>data_batch_1.bin</c> …
/// <c>data_batch_5.bin</c> and <c>test_batch.bin</c> in <c>cifar-10-batches-bin</c>), gzipped or not.
/// Each record is 3,073 bytes: the label (0–9), then 1,024 red, 1,024 green and 1,024 blue values of a
/// 32×32 image, row-major. A file whose length is not a whole number of records, or a label above 9,
/// is an <see cref="InvalidDataException"/> naming the file and the record.
/// </summary>
public static class Cifar10Reader
{
    /// <summary>Bytes per record: one label byte and 3·32·32 pixel bytes.</summary>
    public const int RecordLength = 1 + 3 * 32 * 32;

    /// <summary>The ten class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Reads one or more batch files into one data set (3×32×32 images, in file order).</summary>
    public static ImageDataset Read(IReadOnlyList<string> paths, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("Name at least one CIFAR-10 batch file.", nameof(paths));
        var pixels = new List<byte[]>();
        var labels = new List<long>();
        foreach (var path in paths)
        {
            var bytes = DataFile.ReadAllBytes(path);
            if (bytes.Length == 0 || bytes.Length % RecordLength != 0)
                throw new InvalidDataException($"{path}: {bytes.Length} bytes is not a whole number of {RecordLength}-byte CIFAR-10 records (truncated or not a CIFAR-10 binary batch).");
            int records = bytes.Length / RecordLength;
            var p = new byte[(long)records * (RecordLength - 1)];
            for (int r = 0; r < records; r++)
            {
                int label = bytes[r * RecordLength];
                if (label > 9)
                    throw new InvalidDataException($"{path}: record {r} has label {label}; CIFAR-10 labels are 0–9 (CIFAR-100 files have two label bytes per record).");
                labels.Add(label);
                Buffer.BlockCopy(bytes, r * RecordLength + 1, p, r * (RecordLength - 1), RecordLength - 1);
            }
            pixels.Add(p);
        }
        var all = pixels.Count == 1 ? pixels[0] : pixels.SelectMany(a => a).ToArray();
        return ImageDataset.FromBytes(all, labels.Count, 3, 32, 32, labels.ToArray(), ClassNames, name ?? "cifar-10");
    }

    /// <summary>Reads the training (five batches) or test part from a <c>cifar-10-batches-bin</c> folder.</summary>
    public static ImageDataset ReadFolder(string directory, DatasetPart part)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var names = part == DatasetPart.Train
            ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray()
            : ["test_batch.bin"];
        var paths = names.Select(n => Find(directory, n)).ToArray();
        return Read(paths, part == DatasetPart.Train ? "cifar-10/train" : "cifar-10/test");
    }

    private static string Find(string directory, string name)
    {
        foreach (var candidate in new[] { Path.Combine(directory, name), Path.Combine(directory, name + ".gz") })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException($"CIFAR-10 file {name} not found in {directory} (expected the unpacked cifar-10-batches-bin folder of the binary version).", Path.Combine(directory, name));
    }
}
