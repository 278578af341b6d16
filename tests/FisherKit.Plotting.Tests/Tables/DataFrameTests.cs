using FisherKit.Plotting.Formatting;
using FisherKit.Plotting.Tables;
using Microsoft.Data.Analysis;

namespace FisherKit.Plotting.Tests.Tables;

public record Run(string Method, int Labels, double Rmse, double? Spread, long Seed, bool Done, Dash Style);

/// <summary>DataFrames for result tables: building, rounding, CSV, and how every host shows them.</summary>
[Collection("Formatter registry")]
public class DataFrameTests
{
    private static readonly Run[] Runs =
    [
        new("random", 20, 0.41234567, null, 1, true, Dash.Dash),
        new("D-optimal, \"Fisher\"", 30, 1.0 / 3, 2.5, 2, false, Dash.Solid),
    ];

    [Fact]
    public void Records_become_one_typed_column_per_property_in_declaration_order()
    {
        var table = DataFrames.FromRecords(Runs, new Dictionary<string, string> { ["Rmse"] = "RMSE" });
        Assert.Equal(["Method", "Labels", "RMSE", "Spread", "Seed", "Done", "Style"], table.Columns.Select(c => c.Name));
        Assert.IsType<StringDataFrameColumn>(table["Method"]);
        Assert.IsType<Int32DataFrameColumn>(table["Labels"]);
        Assert.IsType<DoubleDataFrameColumn>(table["RMSE"]);
        Assert.IsType<DoubleDataFrameColumn>(table["Spread"]);
        Assert.IsType<Int64DataFrameColumn>(table["Seed"]);
        Assert.IsType<BooleanDataFrameColumn>(table["Done"]);
        Assert.IsType<StringDataFrameColumn>(table["Style"]);
        Assert.Equal(2, table.Rows.Count);
        Assert.Null(table["Spread"][0]);
        Assert.Equal(1.0 / 3, table["RMSE"][1]);
        Assert.Equal("Solid", table["Style"][1]);
        Assert.Throws<ArgumentException>(() => DataFrames.FromRecords(Runs, new Dictionary<string, string> { ["Rmse"] = "Method" }));
        Assert.Throws<ArgumentException>(() => DataFrames.FromRecords(new Run?[] { null }));
    }

    public record Interval(double Low, double High);

    public record Fit(string Name, Interval Range);

    [Fact]
    public void Text_columns_of_records_are_culture_invariant()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
            var table = DataFrames.FromRecords([new Fit("a", new Interval(0.5, 1.25))]);
            Assert.Equal("Interval { Low = 0.5, High = 1.25 }", table["Range"][0]);
            Assert.Equal("Name,Range\na,\"Interval { Low = 0.5, High = 1.25 }\"\n", table.ToCsv());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Rows_of_text_become_text_columns_and_a_short_row_is_named()
    {
        var table = DataFrames.FromRows(["score", "AUROC"], [["Fisher form", 0.91234.Fixed(3)], ["entropy", null]]);
        Assert.Equal(["Fisher form", "entropy"], table["score"].Cast<string>());
        Assert.Equal("0.912", table["AUROC"][0]);
        Assert.Null(table["AUROC"][1]);
        var e = Assert.Throws<ArgumentException>(() => DataFrames.FromRows(["a", "b"], [["1", "2"], ["3"]]));
        Assert.Contains("Row 1 has 1 cells, the header 2 (a, b)", e.Message, StringComparison.Ordinal);
        Assert.Contains("Two columns are named \"a\" (0 and 1)", Assert.Throws<ArgumentException>(() => DataFrames.FromRows(["a", "a"], [])).Message, StringComparison.Ordinal);
        Assert.Equal("", DataFrames.FromRows(["", "b"], [["x", "y"]]).Columns[0].Name);
    }

    [Fact]
    public void Rounding_for_display_leaves_the_original_and_other_columns_alone()
    {
        var table = DataFrames.FromRecords(Runs);
        var rounded = table.Rounded(3);
        Assert.Equal(0.412, rounded["Rmse"][0]);
        Assert.Equal(0.333, rounded["Rmse"][1]);
        Assert.Null(rounded["Spread"][0]);
        Assert.Equal(20, rounded["Labels"][0]);
        Assert.Equal(0.41234567, table["Rmse"][0]);
        Assert.Equal(3.0, new DataFrame(new DoubleDataFrameColumn("x", [2.5])).Rounded(0)["x"][0]);   // midpoints away from zero
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Rounded(-1));
    }

    [Fact]
    public void Csv_keeps_every_digit_quotes_text_that_needs_it_and_reads_back()
    {
        var table = DataFrames.FromRecords(Runs);
        var csv = table.ToCsv();
        Assert.Equal(
            "Method,Labels,Rmse,Spread,Seed,Done,Style\n" +
            "random,20,0.41234567,,1,True,Dash\n" +
            "\"D-optimal, \"\"Fisher\"\"\",30,0.3333333333333333,2.5,2,False,Solid\n", csv);

        var dir = Path.Combine(Path.GetTempPath(), "fisherkit-csv-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "nested", "runs.csv");
            table.WriteCsv(path);
            Assert.Equal(csv, File.ReadAllText(path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
            var back = DataFrameCsv.ReadCsv(path, [typeof(string), typeof(int), typeof(double), typeof(double), typeof(long), typeof(bool), typeof(string)]);
            Assert.Equal(1.0 / 3, back["Rmse"][1]);
            Assert.Null(back["Spread"][0]);
            Assert.Equal("D-optimal, \"Fisher\"", back["Method"][1]);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Csv_reads_back_every_digit_in_a_german_culture()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        var dir = Path.Combine(Path.GetTempPath(), "fisherkit-csv-" + Guid.NewGuid().ToString("N"));
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
            double?[] values = [0.5, 1.0 / 3, 1234.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-300, null];
            var table = new DataFrame(
                new DoubleDataFrameColumn("x", values),
                new StringDataFrameColumn("name", values.Select((_, i) => i == 1 ? "a, \"b\"" : "n" + i)),
                new BooleanDataFrameColumn("ok", values.Select((_, i) => (bool?)(i % 2 == 0))));
            var path = Path.Combine(dir, "t.csv");
            table.WriteCsv(path);
            foreach (var back in new[] { DataFrameCsv.ReadCsv(path), DataFrameCsv.ReadCsv(path, [typeof(double), typeof(string), typeof(bool)]) })
            {
                Assert.IsType<DoubleDataFrameColumn>(back["x"]);
                Assert.Equal(values, back["x"].Cast<double?>());
                Assert.Equal(table["name"].Cast<string>(), back["name"].Cast<string>());
                Assert.Equal(table["ok"].Cast<bool?>(), back["ok"].Cast<bool?>());
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_dataframe_shows_as_the_html_table_of_dotnet_interactive()
    {
        var table = DataFrames.FromRecords(Runs.Take(1));
        var html = Formatter.ToDisplayString(table, MimeTypes.Html);
        Assert.Equal(table.ToHtml(), html);
        // The markup of Microsoft.Data.Analysis's .NET Interactive extension (0.24.0), as seen in a .net-csharp kernel.
        Assert.Contains(
            "<thead><tr><th><i>index</i></th><th>Method</th><th>Labels</th><th>Rmse</th><th>Spread</th><th>Seed</th><th>Done</th><th>Style</th></tr></thead>" +
            "<tbody><tr><td><i><div class=\"dni-plaintext\"><pre>0</pre></div></i></td><td>random</td>" +
            "<td><div class=\"dni-plaintext\"><pre>20</pre></div></td><td><div class=\"dni-plaintext\"><pre>0.41234567</pre></div></td>" +
            "<td><div class=\"dni-plaintext\"><pre>&lt;null&gt;</pre></div></td><td><div class=\"dni-plaintext\"><pre>1</pre></div></td>" +
            "<td><div class=\"dni-plaintext\"><pre>True</pre></div></td><td>Dash</td></tr></tbody></table>", html, StringComparison.Ordinal);
        Assert.StartsWith("<table id=\"table_", html, StringComparison.Ordinal);
        Assert.EndsWith(DataFrameHtml.Style, html, StringComparison.Ordinal);
        Assert.Equal(html, table.ToHtml());   // the id follows the content: a saved notebook does not change
        Assert.Contains("<td>a &lt;b&gt; &amp; c</td>", DataFrames.FromRows(["x"], [["a <b> & c"]]).ToHtml(), StringComparison.Ordinal);

        var bundle = Formatter.ToMimeBundle(table);
        Assert.Equal([MimeTypes.Html, MimeTypes.PlainText], bundle.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_dataframe_as_text_lines_up_its_columns()
    {
        var table = DataFrames.FromRows(["score", "AUROC"], [["Fisher form", "0.912"], ["entropy", null]]);
        Assert.Equal("score        AUROC\nFisher form  0.912\nentropy      <null>", Formatter.ToDisplayString(table));
        Assert.Equal("a    b\nx y  z\nu v  w", DataFrames.FromRows(["a", "b"], [["x\ty", "z"], ["u\r\nv", "w"]]).ToText());
        var wide = DataFrames.FromRows(["x"], [[new string('a', 100)]]).ToText();
        Assert.Equal(DataFrameText.MaxCellWidth, wide.Split('\n')[1].Length);
        Assert.EndsWith("…", wide, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_tables_show_their_first_rows_and_say_how_many_were_left_out()
    {
        var limit = Formatter.TableRowLimit;
        try
        {
            Formatter.TableRowLimit = 3;
            var table = new DataFrame(new Int32DataFrameColumn("i", Enumerable.Range(0, 10)));
            var html = table.ToHtml();
            Assert.Equal(3, html.Split("<tr><td>").Length - 1);
            Assert.Contains("<p>… 7 more rows (10 in all)</p>", html, StringComparison.Ordinal);
            Assert.EndsWith("… 7 more rows (10 in all)", table.ToText(), StringComparison.Ordinal);
        }
        finally
        {
            Formatter.TableRowLimit = limit;
        }
    }
}
