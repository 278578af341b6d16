using System.Globalization;

namespace FisherKit.Data.Tabular;

/// <summary>
/// Readers for the regression benchmarks FisherKit uses, from the files of Debian packages that
/// <c>environment/setup.d/45-tabular-data.sh</c> unpacks into <c>data/cache/tabular/</c> (nothing is
/// downloaded at run time): Boston housing (Harrison &amp; Rubinfeld 1978) and Diabetes (Efron et al. 2004)
/// from <c>python3-sklearn</c>, Concrete compressive strength (Yeh 1998) from <c>r-cran-modeldata</c>.
/// Where the files are not in the cache, the installed packages' folders are tried.
/// </summary>
public static class TabularData
{
    /// <summary>Folder of the sklearn data files inside the python3-sklearn package.</summary>
    public const string SklearnPackageFolder = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>Folder of the modeldata lazy-load database inside the r-cran-modeldata package.</summary>
    public const string ModeldataPackageFolder = "/usr/lib/R/site-library/modeldata/data";

    /// <summary>
    /// The cache folder: <c>$FK_CACHE/tabular</c> when FK_CACHE is set, else <c>data/cache/tabular</c> under the
    /// first ancestor of the working directory or of the application that holds FisherKit.sln.
    /// </summary>
    public static string CacheDirectory =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DataCache.EnvironmentVariable)) || DataCache.FindRepositoryRoot() is not null
            ? DataCache.PathOf("tabular")
            // Outside the repository the Debian package folders are still searched (Find): no exception here.
            : Path.Combine(Directory.GetCurrentDirectory(), "data", "cache", "tabular");

    private static string Find(string? directory, string file, string packageFolder, string package)
    {
        var places = directory is not null ? [directory] : new[] { CacheDirectory, packageFolder };
        foreach (var p in places)
        {
            var f = Path.Combine(p, file);
            if (File.Exists(f)) return f;
        }
        throw new FileNotFoundException($"{file} was not found in {string.Join(" or ", places)}. Run environment/setup.sh (step 45-tabular-data.sh unpacks it from the Debian package {package}).", file);
    }

    /// <summary>
    /// Boston housing, 506 × 13 (target MEDV, median home value in $1000s), from sklearn's
    /// <c>boston_house_prices.csv</c> (line 1 "506,13", line 2 the header). The column B encodes a racial
    /// statistic; it is kept for comparability with published results, which is why scikit-learn removed the loader.
    /// </summary>
    public static TabularDataset Boston(string? directory = null)
    {
        var path = Find(directory, "boston_house_prices.csv", SklearnPackageFolder, "python3-sklearn");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2) throw new InvalidDataException($"{path}: expected a line \"rows,columns\" and a header line, found {lines.Length} non-empty line(s).");
        var head = lines[0].Split(',');
        if (head.Length < 2 || !int.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || !int.TryParse(head[1], NumberStyles.None, CultureInfo.InvariantCulture, out int d) || n < 1 || d < 1)
            throw new InvalidDataException($"{path}:1: expected \"rows,columns\" (two positive integers), found \"{lines[0]}\".");
        var names = lines[1].Split(',').Select(s => s.Trim('"')).ToArray();
        if (names.Length != d + 1) throw new InvalidDataException($"{path}: expected {d + 1} header names, found {names.Length}.");
        var rows = lines.Skip(2).Select((l, i) => Numbers(l.Split(','), path, i + 3)).ToArray();
        return Build("Boston", names[..d], names[d], rows, n, d, path + " (python3-sklearn)");
    }

    /// <summary>
    /// Diabetes, 442 × 10 (age, sex, bmi, bp, s1–s6 unscaled; target a disease-progression measure one year
    /// after baseline), from sklearn's <c>diabetes_data_raw.csv.gz</c> and <c>diabetes_target.csv.gz</c>.
    /// </summary>
    public static TabularDataset Diabetes(string? directory = null)
    {
        var x = Find(directory, "diabetes_data_raw.csv.gz", SklearnPackageFolder, "python3-sklearn");
        var y = Find(directory, "diabetes_target.csv.gz", SklearnPackageFolder, "python3-sklearn");
        var rows = GzLines(x).Select((l, i) => Numbers(l.Split(' ', StringSplitOptions.RemoveEmptyEntries), x, i + 1)).ToArray();
        var targets = GzLines(y).Select((l, i) => Numbers([l], y, i + 1)[0]).ToArray();
        if (targets.Length != rows.Length) throw new InvalidDataException($"{x} has {rows.Length} rows but {y} has {targets.Length} targets.");
        var full = rows.Select((r, i) => r.Append(targets[i]).ToArray()).ToArray();
        return Build("Diabetes", ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], "progression", full, 442, 10, x + " (python3-sklearn)");
    }

    /// <summary>
    /// Concrete compressive strength, 1030 × 8 (cement, blast-furnace slag, fly ash, water, superplasticiser,
    /// coarse and fine aggregate in kg/m³, age in days; target strength in MPa), the object <c>concrete</c> of
    /// the modeldata package's lazy-load database, read with <see cref="RLazyLoadDatabase"/>.
    /// </summary>
    public static TabularDataset Concrete(string? directory = null)
    {
        var rdb = Find(directory, Path.Combine("modeldata", "Rdata.rdb"), ModeldataPackageFolder, "r-cran-modeldata");
        var basePath = rdb[..^4];
        var frame = new RLazyLoadDatabase(basePath).Read("concrete");
        var (names, columns) = frame.ToDataFrame();
        int t = Array.IndexOf(names, "compressive_strength");
        if (t < 0) throw new InvalidDataException("The concrete data frame has no column compressive_strength.");
        int n = columns[0].Length;
        var rows = Enumerable.Range(0, n).Select(i => columns.Select(c => c[i]).ToArray()).ToArray();
        var featureNames = names.Where((_, j) => j != t).ToArray();
        var reordered = rows.Select(r => r.Where((_, j) => j != t).Append(r[t]).ToArray()).ToArray();
        return Build("Concrete", featureNames, names[t], reordered, 1030, 8, basePath + ".rdb (r-cran-modeldata)");
    }

    /// <summary>The non-empty lines of a (gzipped) text file; a damaged gzip stream is an error naming the file (<see cref="DataFile"/>).</summary>
    private static IEnumerable<string> GzLines(string path)
    {
        using var reader = new StreamReader(new MemoryStream(DataFile.ReadAllBytes(path)));
        var lines = new List<string>();
        while (reader.ReadLine() is { } l) if (l.Trim().Length > 0) lines.Add(l.Trim());
        return lines;
    }

    private static double[] Numbers(string[] fields, string path, int line)
    {
        var r = new double[fields.Length];
        for (int j = 0; j < fields.Length; j++)
            if (!double.TryParse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture, out r[j]) || !double.IsFinite(r[j]))
                throw new InvalidDataException($"{path}:{line}: \"{fields[j]}\" is not a finite number.");   // TryParse takes "NaN" and "Infinity"
        return r;
    }

    private static TabularDataset Build(string name, string[] featureNames, string target, double[][] rows, int n, int d, string source)
    {
        if (rows.Length != n) throw new InvalidDataException($"{name}: expected {n} rows, read {rows.Length} from {source}.");
        var x = new double[n, d];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (rows[i].Length != d + 1) throw new InvalidDataException($"{name}: row {i + 1} has {rows[i].Length} values, expected {d + 1}.");
            for (int j = 0; j < d; j++) x[i, j] = rows[i][j];
            y[i] = rows[i][d];
        }
        return new TabularDataset(name, featureNames, target, x, y, source);
    }
}
