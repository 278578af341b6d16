using System.Globalization;

namespace FisherKit.Simulators.Mammography;

/// <summary>
/// A (mini-)phantom: <see cref="Rows"/> × <see cref="Columns"/> square cells of side <see cref="CellMm"/> (in the
/// phantom plane), each with two identical gold discs in PMMA: one in the centre and one centred at
/// (±<see cref="CornerOffsetMm"/>, ±<see cref="CornerOffsetMm"/>) from the centre in one of the four corners,
/// drawn at random per image. Cell k (row-major) has diameter <see cref="Diameters"/>[k] (mm) and gold
/// thickness <see cref="Thicknesses"/>[k] (µm); a thickness of 0 leaves the cell empty. The mosaic is centred on
/// the beam axis. The real CDMAM's 45° rotation, grid lines and Al base are not modelled.
/// </summary>
public sealed record CdmamLayout
{
    /// <summary>A layout; throws <see cref="ArgumentException"/> when a disc does not fit its cell or values are bad.</summary>
    public CdmamLayout(int rows, int columns, IReadOnlyList<double> diameters, IReadOnlyList<double> thicknesses, double cellMm = 3.0, double? cornerOffsetMm = null)
    {
        if (rows < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"A layout needs at least one row and one column (got {rows} × {columns}).");
        ArgumentNullException.ThrowIfNull(diameters);
        ArgumentNullException.ThrowIfNull(thicknesses);
        if (diameters.Count != rows * columns || thicknesses.Count != rows * columns)
            throw new ArgumentException($"A {rows} × {columns} layout needs {rows * columns} diameters and thicknesses (got {diameters.Count} and {thicknesses.Count}).", nameof(diameters));
        if (!(cellMm > 0) || !double.IsFinite(cellMm)) throw new ArgumentOutOfRangeException(nameof(cellMm), cellMm, "The cell side must be positive (mm).");
        double offset = cornerOffsetMm ?? 0.3 * cellMm;
        if (!(offset > 0) || offset >= cellMm / 2) throw new ArgumentOutOfRangeException(nameof(cornerOffsetMm), offset, "The corner disc's offset must lie in (0, cell/2) mm.");
        for (int k = 0; k < diameters.Count; k++)
        {
            double d = diameters[k], t = thicknesses[k];
            if (!(d > 0) || !double.IsFinite(d)) throw new ArgumentOutOfRangeException(nameof(diameters), d, $"Cell {k}: the diameter must be positive (mm).");
            if (!(t >= 0) || t > 100) throw new ArgumentOutOfRangeException(nameof(thicknesses), t, $"Cell {k}: the gold thickness must lie in [0, 100] µm.");
            if (d / 2 + offset > cellMm / 2 || d > offset * Math.Sqrt(2))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Cell {k}: a {d} mm disc does not fit a {cellMm} mm cell with corner offset {offset} mm (needs d/2 + offset <= cell/2 and d <= offset·√2)."), nameof(diameters));
        }
        Rows = rows;
        Columns = columns;
        Diameters = diameters.ToArray();
        Thicknesses = thicknesses.ToArray();
        CellMm = cellMm;
        CornerOffsetMm = offset;
    }

    /// <summary>Rows of cells.</summary>
    public int Rows { get; }

    /// <summary>Columns of cells.</summary>
    public int Columns { get; }

    /// <summary>Disc diameter per cell (mm), row-major.</summary>
    public IReadOnlyList<double> Diameters { get; }

    /// <summary>Gold thickness per cell (µm), row-major.</summary>
    public IReadOnlyList<double> Thicknesses { get; }

    /// <summary>Cell side in the phantom plane (mm).</summary>
    public double CellMm { get; }

    /// <summary>Offset of the corner disc's centre from the cell centre along x and y (mm).</summary>
    public double CornerOffsetMm { get; }

    /// <summary>Number of cells.</summary>
    public int Cells => Rows * Columns;

    /// <summary>
    /// The contrast-detail grid: one row per diameter, one column per thickness (the CDMAM's arrangement, without
    /// its rotation); <paramref name="cellMm"/> defaults to the smallest cell that holds the largest disc.
    /// </summary>
    public static CdmamLayout Grid(IReadOnlyList<double> diameters, IReadOnlyList<double> thicknesses, double? cellMm = null)
    {
        ArgumentNullException.ThrowIfNull(diameters);
        ArgumentNullException.ThrowIfNull(thicknesses);
        if (diameters.Count == 0 || thicknesses.Count == 0) throw new ArgumentException("A grid needs at least one diameter and one thickness.", nameof(diameters));
        var d = new List<double>();
        var t = new List<double>();
        foreach (var di in diameters)
            foreach (var ti in thicknesses) { d.Add(di); t.Add(ti); }
        return new CdmamLayout(diameters.Count, thicknesses.Count, d, t, cellMm ?? CellFor(diameters.Max()));
    }

    /// <summary>
    /// Cells of one diameter for reading experiments: every thickness of <paramref name="thicknesses"/> repeated
    /// <paramref name="repeats"/> times, in rows of <paramref name="columns"/> cells (the last row padded with empty cells).
    /// </summary>
    public static CdmamLayout Repeated(double diameter, IReadOnlyList<double> thicknesses, int repeats, int columns, double? cellMm = null)
    {
        ArgumentNullException.ThrowIfNull(thicknesses);
        if (repeats < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(repeats), "Repeats and columns must be positive.");
        var t = thicknesses.SelectMany(x => Enumerable.Repeat(x, repeats)).ToList();
        int rows = (t.Count + columns - 1) / columns;
        while (t.Count < rows * columns) t.Add(0);
        return new CdmamLayout(rows, columns, Enumerable.Repeat(diameter, rows * columns).ToList(), t, cellMm ?? CellFor(diameter));
    }

    /// <summary>The smallest cell side (mm) that holds two discs of <paramref name="diameter"/> mm with the default offset (0.3 × cell), with a margin.</summary>
    public static double CellFor(double diameter) => Math.Max(diameter / 0.4, diameter / (0.3 * Math.Sqrt(2))) * 1.05;
}
