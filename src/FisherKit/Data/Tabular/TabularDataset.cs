using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Data.Tabular;

/// <summary>A regression table: N rows of named numeric features and one numeric target, with where it came from.</summary>
public sealed class TabularDataset
{
    /// <summary>Creates the table; features are row-major (N, d).</summary>
    public TabularDataset(string name, IReadOnlyList<string> featureNames, string targetName, double[,] features, double[] targets, string source)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (features.GetLength(0) != targets.Length) throw new ArgumentException($"{features.GetLength(0)} feature rows but {targets.Length} targets.", nameof(targets));
        if (features.GetLength(1) != featureNames.Count) throw new ArgumentException($"{features.GetLength(1)} feature columns but {featureNames.Count} names.", nameof(featureNames));
        Name = name;
        FeatureNames = featureNames;
        TargetName = targetName;
        Features = features;
        Targets = targets;
        Source = source;
    }

    /// <summary>The data set's name.</summary>
    public string Name { get; }

    /// <summary>Feature column names.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Target column name.</summary>
    public string TargetName { get; }

    /// <summary>Features (N, d), row-major.</summary>
    public double[,] Features { get; }

    /// <summary>Targets (N).</summary>
    public double[] Targets { get; }

    /// <summary>Where the values were read from (package and file).</summary>
    public string Source { get; }

    /// <summary>Number of rows N.</summary>
    public int Rows => Targets.Length;

    /// <summary>Number of features d.</summary>
    public int Columns => FeatureNames.Count;

    /// <summary>Features (N, d) and targets (N) as float64 tensors.</summary>
    public (Tensor features, Tensor targets) ToTensors()
    {
        var flat = new double[Rows * Columns];
        Buffer.BlockCopy(Features, 0, flat, 0, flat.Length * sizeof(double));
        return (tensor(flat, [Rows, Columns]), tensor(Targets.ToArray()));
    }

    /// <summary>One feature column.</summary>
    public double[] Column(int j)
    {
        if (j < 0 || j >= Columns) throw new ArgumentOutOfRangeException(nameof(j), j, $"Column outside [0, {Columns}).");
        var c = new double[Rows];
        for (int i = 0; i < Rows; i++) c[i] = Features[i, j];
        return c;
    }
}
