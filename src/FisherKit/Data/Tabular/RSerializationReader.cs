using System.Buffers.Binary;
using System.Text;

namespace FisherKit.Data.Tabular;

/// <summary>
/// Reads R's serialization format (the "X\n" XDR form, versions 2 and 3, as written by saveRDS and the
/// lazy-load databases of packages): NULL, symbols and back-references to them, pairlists (attributes),
/// logical, integer, double, character and generic vectors with attributes. That covers data frames of
/// numbers; environments, closures, ALTREP objects and the other types are refused with their type code.
/// </summary>
public static class RSerializationReader
{
    private const int NilValue = 254, RefSxp = 255, CharSxp = 9, AltRep = 238;

    /// <summary>Reads one serialized object from <paramref name="data"/> (uncompressed).</summary>
    public static RObject Read(ReadOnlySpan<byte> data)
    {
        var r = new Cursor(data.ToArray());
        if (r.Remaining < 2 || r.Data[0] != (byte)'X' || r.Data[1] != (byte)'\n')
            throw new InvalidDataException("Not an R serialization in XDR format (the stream must start with \"X\\n\"; ASCII and native binary forms are not supported).");
        r.Position = 2;
        int version = r.Int();
        r.Int(); // writer's R version
        r.Int(); // minimal reader version
        if (version == 3) { int n = r.Int(); r.Position += n; }
        else if (version != 2) throw new InvalidDataException($"Unsupported R serialization version {version} (2 and 3 are supported).");
        var refs = new List<RObject>();
        return Item(ref r, refs);
    }

    private static RObject Item(ref Cursor r, List<RObject> refs)
    {
        int flags = r.Int();
        int type = flags & 0xFF;
        bool hasAttr = (flags & (1 << 9)) != 0, hasTag = (flags & (1 << 10)) != 0;
        switch (type)
        {
            case NilValue: return new RObject(RType.Null, null);
            case RefSxp:
                {
                    int index = flags >> 8;
                    if (index == 0) index = r.Int();
                    if (index < 1 || index > refs.Count) throw new InvalidDataException($"Reference {index} points past the {refs.Count} objects read so far.");
                    return refs[index - 1];
                }
            case (int)RType.Symbol:
                {
                    var text = CharString(ref r) ?? "NA";
                    var sym = new RObject(RType.Symbol, null, name: text);
                    refs.Add(sym);
                    return sym;
                }
            case (int)RType.PairList:
                {
                    // Pairlists are read iteratively: (attributes?) (tag?) CAR, then CDR continues the list.
                    var values = new List<RObject>();
                    var tags = new Dictionary<string, RObject>();
                    while (true)
                    {
                        if (hasAttr) Item(ref r, refs);
                        string? tag = hasTag ? Item(ref r, refs).Name : null;
                        var car = Item(ref r, refs);
                        values.Add(car);
                        if (tag is not null) tags[tag] = car;
                        flags = r.Int();
                        type = flags & 0xFF;
                        if (type == NilValue) break;
                        if (type != (int)RType.PairList) throw new InvalidDataException($"A pairlist continues with R type {type}; only proper pairlists are supported.");
                        hasAttr = (flags & (1 << 9)) != 0;
                        hasTag = (flags & (1 << 10)) != 0;
                    }
                    return new RObject(RType.PairList, values.ToArray(), tags);
                }
            case CharSxp:
                return new RObject(RType.String, new[] { CharStringBody(ref r) });
            case (int)RType.Logical:
            case (int)RType.Integer:
                {
                    int n = Length(ref r);
                    var v = new int[n];
                    for (int i = 0; i < n; i++) v[i] = r.Int();
                    return WithAttributes(ref r, refs, (RType)type, v, hasAttr);
                }
            case (int)RType.Real:
                {
                    int n = Length(ref r);
                    var v = new double[n];
                    for (int i = 0; i < n; i++) v[i] = r.Double();
                    return WithAttributes(ref r, refs, RType.Real, v, hasAttr);
                }
            case (int)RType.String:
                {
                    int n = Length(ref r);
                    var v = new string?[n];
                    for (int i = 0; i < n; i++) v[i] = CharString(ref r);
                    return WithAttributes(ref r, refs, RType.String, v, hasAttr);
                }
            case (int)RType.List:
            case 20: // expression vector, read as a list
                {
                    int n = Length(ref r);
                    var v = new RObject[n];
                    for (int i = 0; i < n; i++) v[i] = Item(ref r, refs);
                    return WithAttributes(ref r, refs, RType.List, v, hasAttr);
                }
            case AltRep:
                throw new NotSupportedException("The object uses an ALTREP representation (R type 238), which this reader does not support.");
            default:
                throw new NotSupportedException($"R type {type} is not supported by this reader (only NULL, symbols, pairlists and atomic or generic vectors are).");
        }
    }

    private static RObject WithAttributes(ref Cursor r, List<RObject> refs, RType type, object values, bool hasAttr)
    {
        if (!hasAttr) return new RObject(type, values);
        var attr = Item(ref r, refs);
        return new RObject(type, values, attr.Attributes);
    }

    private static int Length(ref Cursor r)
    {
        int n = r.Int();
        if (n == -1)
        {
            long hi = (uint)r.Int(), lo = (uint)r.Int();
            long big = (hi << 32) | lo;
            if (big > int.MaxValue) throw new NotSupportedException($"A vector of {big} elements is too long for this reader.");
            return (int)big;
        }
        if (n < 0) throw new InvalidDataException($"Negative vector length {n}.");
        return n;
    }

    /// <summary>A CHARSXP item (flags, then body); null for NA.</summary>
    private static string? CharString(ref Cursor r)
    {
        int flags = r.Int();
        if ((flags & 0xFF) != CharSxp) throw new InvalidDataException($"Expected a character string (R type 9), found R type {flags & 0xFF}.");
        return CharStringBody(ref r);
    }

    private static string? CharStringBody(ref Cursor r)
    {
        int n = r.Int();
        if (n == -1) return null;
        if (n < 0 || n > r.Remaining) throw new InvalidDataException($"A string of length {n} does not fit the remaining {r.Remaining} bytes.");
        var s = Encoding.UTF8.GetString(r.Data, r.Position, n);
        r.Position += n;
        return s;
    }

    private struct Cursor(byte[] data)
    {
        public readonly byte[] Data = data;
        public int Position;
        public readonly int Remaining => Data.Length - Position;

        public int Int()
        {
            if (Remaining < 4) throw new InvalidDataException("The R serialization ends in the middle of a value.");
            var v = BinaryPrimitives.ReadInt32BigEndian(Data.AsSpan(Position, 4));
            Position += 4;
            return v;
        }

        public double Double()
        {
            if (Remaining < 8) throw new InvalidDataException("The R serialization ends in the middle of a value.");
            var v = BinaryPrimitives.ReadDoubleBigEndian(Data.AsSpan(Position, 8));
            Position += 8;
            return v;
        }
    }
}
