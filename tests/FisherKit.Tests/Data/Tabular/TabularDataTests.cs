using FisherKit.Data.Tabular;

namespace FisherKit.Tests.Data.Tabular;

/// <summary>
/// The readers on the real files that environment/setup.d/45-tabular-data.sh unpacks into data/cache/tabular.
/// Expected first/last rows are copied from the files themselves (boston_house_prices.csv lines 3 and 508,
/// the first and last lines of diabetes_data_raw.csv.gz and diabetes_target.csv.gz, as in python3-sklearn
/// 1.2.1+dfsg-1); for Concrete they are the first and last rows of the UCI file Concrete_Data.xls (Yeh 1998),
/// and the strength range and mean are those measured with R in shared research notes (2.33–82.60, 35.82).
/// </summary>
public sealed class TabularDataTests
{
    [Fact]
    public void Boston_has_506_rows_of_13_features_and_the_files_first_and_last_rows()
    {
        var d = TabularData.Boston();
        Assert.Equal((506, 13), (d.Rows, d.Columns));
        Assert.Equal("MEDV", d.TargetName);
        Assert.Equal(["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT"], d.FeatureNames);
        Assert.Equal([0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 396.9, 4.98], Row(d, 0));
        Assert.Equal(24, d.Targets[0]);
        Assert.Equal([0.04741, 0, 11.93, 0, 0.573, 6.03, 80.8, 2.505, 1, 273, 21, 396.9, 7.88], Row(d, 505));
        Assert.Equal(11.9, d.Targets[505]);
    }

    [Fact]
    public void Diabetes_has_442_rows_of_10_raw_features_and_the_files_first_and_last_rows()
    {
        var d = TabularData.Diabetes();
        Assert.Equal((442, 10), (d.Rows, d.Columns));
        Assert.Equal([59, 2, 32.1, 101.0, 157, 93.2, 38.0, 4.0, 4.8598, 87], Row(d, 0));
        Assert.Equal(151, d.Targets[0]);
        Assert.Equal([36, 1, 19.6, 71.0, 250, 133.2, 97.0, 3.0, 4.5951, 92], Row(d, 441));
        Assert.Equal(57, d.Targets[441]);
        Assert.Equal(25, d.Targets.Min());
        Assert.Equal(346, d.Targets.Max());
    }

    [Fact]
    public void Concrete_from_the_R_database_has_1030_rows_of_8_features_and_the_UCI_values()
    {
        var d = TabularData.Concrete();
        Assert.Equal((1030, 8), (d.Rows, d.Columns));
        Assert.Equal(["cement", "blast_furnace_slag", "fly_ash", "water", "superplasticizer", "coarse_aggregate", "fine_aggregate", "age"], d.FeatureNames);
        Assert.Equal("compressive_strength", d.TargetName);
        Assert.Equal([540, 0, 0, 162, 2.5, 1040, 676, 28], Row(d, 0));
        Assert.Equal(79.99, d.Targets[0]);
        Assert.Equal([260.9, 100.5, 78.3, 200.6, 8.6, 864.5, 761.5, 28], Row(d, 1029));
        Assert.Equal(32.4, d.Targets[1029]);
        Assert.Equal(2.33, d.Targets.Min());
        Assert.Equal(82.6, d.Targets.Max());
        Assert.Equal(35.82, Math.Round(d.Targets.Average(), 2));
    }

    [Fact]
    public void The_modeldata_database_is_xz_compressed_and_lists_its_objects()
    {
        var path = Path.Combine(TabularData.CacheDirectory, "modeldata", "Rdata");
        var db = new RLazyLoadDatabase(path);
        Assert.Equal(3, db.Compression);
        Assert.Contains("concrete", db.Names);
        Assert.Throws<KeyNotFoundException>(() => db.Read("no_such_object"));
    }

    [Fact]
    public void Tensors_keep_the_row_major_layout()
    {
        var d = TabularData.Diabetes();
        var (x, y) = d.ToTensors();
        using (x)
        using (y)
        {
            Assert.Equal(new long[] { 442, 10 }, x.shape);
            Assert.Equal(d.Features[3, 7], x[3, 7].ToDouble());
            Assert.Equal(d.Targets[5], y[5].ToDouble());
        }
    }

    private static double[] Row(TabularDataset d, int i) => Enumerable.Range(0, d.Columns).Select(j => d.Features[i, j]).ToArray();

    [Fact]
    public void Damaged_files_are_named_with_what_is_wrong()
    {
        // An empty file or a bad count line gave IndexOutOfRangeException or FormatException without the file; "NaN" and
        // "Infinity" cells were taken as numbers; a gzip error did not name the file.
        var dir = Directory.CreateTempSubdirectory("fk-tabular-").FullName;
        try
        {
            var boston = Path.Combine(dir, "boston_house_prices.csv");
            string Error(string content)
            {
                File.WriteAllText(boston, content);
                return Assert.Throws<InvalidDataException>(() => TabularData.Boston(dir)).Message;
            }
            Assert.Contains("found 0 non-empty line(s)", Error(""));
            Assert.Contains(":1: expected \"rows,columns\"", Error("abc,13\nx,y\n"));
            Assert.Contains(":1: expected \"rows,columns\"", Error("-1,1\nx,y\n"));
            Assert.Contains(":3: \"NaN\" is not a finite number", Error("1,1\nx,y\nNaN,2\n"));
            Assert.Contains(":3: \"Infinity\" is not a finite number", Error("1,1\nx,y\n1,Infinity\n"));
            // Gzip magic followed by garbage: a damaged stream, named.
            File.WriteAllBytes(Path.Combine(dir, "diabetes_data_raw.csv.gz"), [0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5, 6, 7]);
            File.WriteAllText(Path.Combine(dir, "diabetes_target.csv.gz"), "151\n");
            var e = Assert.Throws<InvalidDataException>(() => TabularData.Diabetes(dir));
            Assert.Contains("diabetes_data_raw.csv.gz", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
