using System.Globalization;
using System.Reflection;

namespace FisherKit.Simulators.Mammography;

/// <summary>
/// Mass attenuation coefficients μ/ρ (cm²/g) and anode K lines, read from the tables committed beside
/// this file (<c>tables/attenuation.csv</c>, <c>tables/lines.csv</c>, embedded in the assembly). They were
/// generated from xraylib 4.0 (Debian <c>python3-xraylib</c>) by <c>tables/make_tables.py</c>; a test
/// regenerates them where xraylib is installed and compares. The grid is 4.00, 4.25, …, 50.00 keV; μ/ρ
/// is "total with coherent scattering" except <see cref="DetectorAbsorption"/> (CsI total without coherent).
/// Between grid energies <see cref="MassAttenuation(XrayMaterial, double)"/> interpolates linearly in
/// log μ/ρ against log E within a piece between absorption edges (no spline ringing at edges).
/// </summary>
public static class XrayTables
{
    private static readonly Lazy<(double[] Energies, Dictionary<string, double[]> Columns)> Attenuation = new(LoadAttenuation);
    private static readonly Lazy<IReadOnlyList<CharacteristicLine>> LineTable = new(LoadLines);

    /// <summary>The grid energies in keV (4.00 to 50.00 in 0.25-keV steps).</summary>
    public static IReadOnlyList<double> Energies => Attenuation.Value.Energies;

    /// <summary>The density of <paramref name="material"/> in g/cm³ (values of the reference simulator; Au 19.32).</summary>
    public static double Density(XrayMaterial material) => material switch
    {
        XrayMaterial.Au => 19.32,
        XrayMaterial.Pmma => 1.19,
        XrayMaterial.Al => 2.6989,
        XrayMaterial.Be => 1.848,
        XrayMaterial.Mo => 10.28,
        XrayMaterial.Rh => 12.38,
        XrayMaterial.Ag => 10.49,
        XrayMaterial.W => 19.3,
        XrayMaterial.CsI => 4.51,
        XrayMaterial.Se => 4.28,
        _ => throw new ArgumentOutOfRangeException(nameof(material), material, "Unknown material."),
    };

    /// <summary>μ/ρ (cm²/g) of <paramref name="material"/> at grid energy number <paramref name="index"/>.</summary>
    public static double MassAttenuationAt(XrayMaterial material, int index)
    {
        var column = Column(material);
        if (index < 0 || index >= column.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"The grid has {column.Length} energies.");
        return column[index];
    }

    /// <summary>μ/ρ (cm²/g) of <paramref name="material"/> at <paramref name="energyKeV"/> (4–50 keV), log–log interpolated.</summary>
    public static double MassAttenuation(XrayMaterial material, double energyKeV) => Interpolate(Column(material), energyKeV);

    /// <summary>μ/ρ (cm²/g) that counts for absorption in a detector layer: total without coherent scattering (CsI; Se uses its total).</summary>
    public static double DetectorAbsorption(XrayMaterial material, double energyKeV) =>
        material == XrayMaterial.CsI ? Interpolate(Attenuation.Value.Columns["CsI_nocoh"], energyKeV) : MassAttenuation(material, energyKeV);

    /// <summary>The linear attenuation coefficient μ in 1/mm at grid energy <paramref name="index"/>.</summary>
    public static double LinearAttenuationPerMm(XrayMaterial material, int index) => Density(material) * MassAttenuationAt(material, index) / 10;

    /// <summary>The K lines of the Mo and Rh anodes (energies, radiative rates, K edge), from xraylib.</summary>
    public static IReadOnlyList<CharacteristicLine> Lines => LineTable.Value;

    private static double[] Column(XrayMaterial material)
    {
        var name = material == XrayMaterial.Pmma ? "PMMA" : material.ToString();
        return Attenuation.Value.Columns.TryGetValue(name, out var c) ? c : throw new ArgumentOutOfRangeException(nameof(material), material, "No table for this material.");
    }

    private static double Interpolate(double[] column, double e)
    {
        var grid = Attenuation.Value.Energies;
        if (!(e >= grid[0] && e <= grid[^1])) throw new ArgumentOutOfRangeException(nameof(e), e, $"The tables cover {grid[0]}–{grid[^1]} keV.");
        int i = Math.Min((int)((e - grid[0]) / (grid[1] - grid[0])), grid.Length - 2);
        // An absorption edge between the two grid points shows as a rise of μ/ρ with energy: take the value on the same side.
        if (column[i + 1] > column[i]) return (e - grid[i]) < (grid[i + 1] - e) ? column[i] : column[i + 1];
        double f = Math.Log(e / grid[i]) / Math.Log(grid[i + 1] / grid[i]);
        return Math.Exp(Math.Log(column[i]) + f * (Math.Log(column[i + 1]) - Math.Log(column[i])));
    }

    private static IEnumerable<string[]> ReadCsv(string name)
    {
        var assembly = typeof(XrayTables).Assembly;
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The X-ray table {name} is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && line[0] != '#') rows.Add(line.Split(','));
        return rows;
    }

    private static (double[], Dictionary<string, double[]>) LoadAttenuation()
    {
        var rows = ReadCsv("attenuation.csv").ToList();
        var header = rows[0];
        var data = rows.Skip(1).Select(r => r.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        var columns = new Dictionary<string, double[]>();
        for (int c = 1; c < header.Length; c++) columns[header[c]] = data.Select(r => r[c]).ToArray();
        return (data.Select(r => r[0]).ToArray(), columns);
    }

    private static IReadOnlyList<CharacteristicLine> LoadLines() =>
        ReadCsv("lines.csv").Skip(1).Select(r => new CharacteristicLine(Enum.Parse<TubeAnode>(r[0]), r[1],
            double.Parse(r[2], CultureInfo.InvariantCulture), double.Parse(r[3], CultureInfo.InvariantCulture), double.Parse(r[4], CultureInfo.InvariantCulture))).ToList();
}

/// <summary>A K line of an anode: energy (keV), radiative rate within the K shell, and the anode's K edge (keV).</summary>
public sealed record CharacteristicLine(TubeAnode Anode, string Name, double EnergyKeV, double RadiativeRate, double KEdgeKeV);
