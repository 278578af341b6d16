namespace FisherKit.Data.Tabular;

/// <summary>The R value types the serialization reader understands (the SEXPTYPE codes of R's internals).</summary>
public enum RType
{
    /// <summary>NULL.</summary>
    Null = 0,
    /// <summary>A symbol (name).</summary>
    Symbol = 1,
    /// <summary>A pairlist (attributes are pairlists).</summary>
    PairList = 2,
    /// <summary>Logical vector (int values; NA = int.MinValue).</summary>
    Logical = 10,
    /// <summary>Integer vector (NA = int.MinValue).</summary>
    Integer = 13,
    /// <summary>Double vector.</summary>
    Real = 14,
    /// <summary>Character vector (null entries are NA).</summary>
    String = 16,
    /// <summary>Generic vector (list; data frames are lists of columns).</summary>
    List = 19,
}

/// <summary>
/// A value read from R's serialization format: its type, its elements (int[], double[], string?[] or
/// RObject[] for lists and pairlist values), and its attributes by name (names, class, row.names, ...).
/// </summary>
public sealed class RObject
{
    internal RObject(RType type, object? values, IReadOnlyDictionary<string, RObject>? attributes = null, string? name = null)
    {
        Type = type;
        Values = values;
        Attributes = attributes ?? new Dictionary<string, RObject>();
        Name = name;
    }

    /// <summary>The value's type.</summary>
    public RType Type { get; }

    /// <summary>The elements: int[] (logical, integer), double[] (real), string?[] (character), RObject[] (list, pairlist values), null for NULL.</summary>
    public object? Values { get; }

    /// <summary>Attributes by name.</summary>
    public IReadOnlyDictionary<string, RObject> Attributes { get; }

    /// <summary>The symbol's text (symbols only).</summary>
    public string? Name { get; }

    /// <summary>Number of elements.</summary>
    public int Length => Values switch { int[] a => a.Length, double[] a => a.Length, string?[] a => a.Length, RObject[] a => a.Length, _ => 0 };

    /// <summary>The character values of attribute <paramref name="name"/>, or null.</summary>
    public string?[]? StringAttribute(string name) => Attributes.TryGetValue(name, out var a) ? a.Values as string?[] : null;

    /// <summary>
    /// The columns of a data frame (a list with class data.frame, e.g. a tibble) as doubles: integer and
    /// logical columns are converted, NA becomes NaN. Character or list columns are refused.
    /// </summary>
    public (string[] names, double[][] columns) ToDataFrame()
    {
        var classes = StringAttribute("class") ?? [];
        if (Type != RType.List || !classes.Contains("data.frame"))
            throw new InvalidDataException($"Expected a data.frame, found an R {Type} with class [{string.Join(", ", classes)}].");
        var names = (StringAttribute("names") ?? throw new InvalidDataException("The data frame has no column names.")).Select(n => n ?? "NA").ToArray();
        var cols = (RObject[])Values!;
        var result = new double[cols.Length][];
        for (int j = 0; j < cols.Length; j++)
        {
            result[j] = cols[j].Values switch
            {
                double[] d => d,
                int[] i => i.Select(v => v == int.MinValue ? double.NaN : v).ToArray(),
                _ => throw new InvalidDataException($"Column \"{names[j]}\" is an R {cols[j].Type}, not numeric."),
            };
            if (j > 0 && result[j].Length != result[0].Length) throw new InvalidDataException($"Column \"{names[j]}\" has {result[j].Length} rows, the first column {result[0].Length}.");
        }
        return (names, result);
    }
}
