using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using FisherKit.Data.Tabular;

namespace FisherKit.Tests.Data.Tabular;

/// <summary>The R reader on streams written here byte by byte after R's format (serialize.c, XDR, version 3).</summary>
public sealed class RSerializationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fk-rser-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private sealed class Writer
    {
        private readonly MemoryStream _s = new();

        public Writer Header()
        {
            _s.Write("X\n"u8);
            Int(3).Int(0x040202).Int(0x030500).Int(5);
            _s.Write("UTF-8"u8);
            return this;
        }

        public Writer Int(int v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); _s.Write(b); return this; }
        public Writer Double(double v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteDoubleBigEndian(b, v); _s.Write(b); return this; }
        public Writer Char(string? s)
        {
            Int(0x00040009);
            if (s is null) return Int(-1);
            var b = Encoding.UTF8.GetBytes(s);
            Int(b.Length); _s.Write(b); return this;
        }
        public Writer Symbol(string s) => Int(1).Char(s);
        public Writer Strings(params string?[] v) { Int(16).Int(v.Length); foreach (var s in v) Char(s); return this; }
        public byte[] Bytes => _s.ToArray();
    }

    /// <summary>A data.frame(a = c(1.5, NA-free 2, 3), b = 4:6 as integers) with names, row.names c(NA, -3) and class, the symbol "names" written once and referenced after.</summary>
    private static byte[] DataFrame()
    {
        var w = new Writer().Header();
        w.Int(0x313).Int(2);                                   // VECSXP, object + attributes, 2 columns
        w.Int(14).Int(3).Double(1.5).Double(2).Double(3);      // REALSXP
        w.Int(13).Int(3).Int(4).Int(5).Int(6);                 // INTSXP
        w.Int(0x402).Symbol("names").Strings("a", "b");       // attributes pairlist: names
        w.Int(0x402).Symbol("row.names").Int(13).Int(2).Int(int.MinValue).Int(-3);
        w.Int(0x402).Symbol("class").Strings("data.frame");
        w.Int(254);                                            // end of the attribute pairlist
        return w.Bytes;
    }

    [Fact]
    public void A_serialized_data_frame_reads_back_with_names_and_converted_integer_columns()
    {
        var obj = RSerializationReader.Read(DataFrame());
        Assert.Equal(RType.List, obj.Type);
        var (names, cols) = obj.ToDataFrame();
        Assert.Equal(["a", "b"], names);
        Assert.Equal([1.5, 2, 3], cols[0]);
        Assert.Equal([4.0, 5, 6], cols[1]);
        Assert.Equal([int.MinValue, -3], (int[])obj.Attributes["row.names"].Values!);
    }

    [Fact]
    public void Symbols_are_shared_through_back_references()
    {
        // list(x = list(y = 1)) style: the inner list's "names" attribute refers back to the first symbol (ref index 1).
        var w = new Writer().Header();
        w.Int(0x213).Int(1);                                   // outer VECSXP with attributes
        w.Int(0x213).Int(1).Int(14).Int(1).Double(7);          // inner VECSXP with attributes, one REALSXP
        w.Int(0x402).Symbol("names").Strings("y").Int(254);    // inner names → symbol 1
        w.Int(0x402).Int((1 << 8) | 255).Strings("x").Int(254); // outer names via REFSXP 1
        var obj = RSerializationReader.Read(w.Bytes);
        Assert.Equal(new[] { "x" }, obj.StringAttribute("names")!.Select(s => s!));
        var inner = ((RObject[])obj.Values!)[0];
        Assert.Equal(new[] { "y" }, inner.StringAttribute("names")!.Select(s => s!));
        Assert.Equal([7.0], (double[])((RObject[])inner.Values!)[0].Values!);
    }

    [Fact]
    public void Unsupported_types_and_truncated_streams_give_clear_errors()
    {
        var env = new Writer().Header().Int(4).Bytes;           // ENVSXP
        Assert.Contains("R type 4", Assert.Throws<NotSupportedException>(() => RSerializationReader.Read(env)).Message);
        var df = DataFrame();
        Assert.Throws<InvalidDataException>(() => RSerializationReader.Read(df.AsSpan(0, df.Length - 10)));
        Assert.Throws<InvalidDataException>(() => RSerializationReader.Read("A\n"u8));
    }

    [Fact]
    public void A_zlib_compressed_lazy_load_database_written_here_reads_back()
    {
        Directory.CreateDirectory(_dir);
        var payload = DataFrame();
        byte[] entry;
        using (var ms = new MemoryStream())
        {
            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(len, payload.Length);
            ms.Write(len);
            using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(payload);
            entry = ms.ToArray();
        }
        File.WriteAllBytes(Path.Combine(_dir, "db.rdb"), [.. new byte[10], .. entry]);
        // Index: list(variables = list(frame = c(10L, length)), references = list(), compressed = TRUE)
        var w = new Writer().Header();
        w.Int(0x213).Int(3);
        w.Int(0x213).Int(1).Int(13).Int(2).Int(10).Int(entry.Length).Int(0x402).Symbol("names").Strings("frame").Int(254);
        w.Int(19).Int(0);
        w.Int(10).Int(1).Int(1);
        w.Int(0x402).Int((1 << 8) | 255).Strings("variables", "references", "compressed").Int(254);
        using (var fs = File.Create(Path.Combine(_dir, "db.rdx")))
        using (var gz = new GZipStream(fs, CompressionLevel.Optimal)) gz.Write(w.Bytes);
        var db = new RLazyLoadDatabase(Path.Combine(_dir, "db"));
        Assert.Equal(1, db.Compression);
        Assert.Equal(["frame"], db.Names);
        var (names, cols) = db.Read("frame").ToDataFrame();
        Assert.Equal(["a", "b"], names);
        Assert.Equal([4.0, 5, 6], cols[1]);
    }
}
