using FisherKit.Testing;
using System.Diagnostics;
using FisherKit.Simulators.Mammography;

namespace FisherKit.Tests.Simulators.Mammography;

public class XrayTablesTests
{
    [Fact]
    public void The_tables_hold_xraylibs_values_quoted_in_the_spec()
    {
        // xraylib 4.0 at 20 keV (research/mammography.md §1.4): CS_Total(Au) 78.81, CS_Total_CP(PMMA) 0.5714, CsI total − Rayleigh 25.52.
        int i20 = (int)Math.Round((20 - 4) / 0.25);
        Assert.Equal(20.0, XrayTables.Energies[i20]);
        Assert.Equal(78.81, XrayTables.MassAttenuationAt(XrayMaterial.Au, i20), 2);
        Assert.Equal(0.5714, XrayTables.MassAttenuationAt(XrayMaterial.Pmma, i20), 4);
        Assert.Equal(25.52, XrayTables.DetectorAbsorption(XrayMaterial.CsI, 20.0), 2);
        Assert.Equal(78.81, XrayTables.MassAttenuation(XrayMaterial.Au, 20.0), 2);
    }

    [Fact]
    public void Interpolation_between_grid_points_does_not_ring_at_the_gold_L_edges()
    {
        // Au L3 edge at 11.92 keV: the value just above it is larger than just below, and no value leaves the range of its two grid neighbours.
        for (double e = 10; e < 16; e += 0.01)
        {
            int i = (int)((e - 4) / 0.25);
            double a = XrayTables.MassAttenuationAt(XrayMaterial.Au, i), b = XrayTables.MassAttenuationAt(XrayMaterial.Au, i + 1);
            double v = XrayTables.MassAttenuation(XrayMaterial.Au, e);
            Assert.InRange(v, Math.Min(a, b) * (1 - 1e-12), Math.Max(a, b) * (1 + 1e-12));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => XrayTables.MassAttenuation(XrayMaterial.Au, 60));
    }

    [Fact]
    public void The_committed_tables_are_what_the_script_makes_from_xraylib_where_xraylib_is_installed()
    {
        var root = RepositoryPaths.Root;
        var folder = Path.Combine(root, "src", "FisherKit", "Simulators", "Mammography", "tables");
        using var probe = Process.Start(new ProcessStartInfo("/usr/bin/python3", "-c \"import xraylib\"") { RedirectStandardError = true, UseShellExecute = false });
        probe!.WaitForExit();
        if (probe.ExitCode != 0) return;   // xraylib is not installed here (environment/setup.d/47-xraylib.sh installs it)
        var tmp = Directory.CreateTempSubdirectory("fk-xray-");
        try
        {
            using var run = Process.Start(new ProcessStartInfo("/usr/bin/python3", $"\"{Path.Combine(folder, "make_tables.py")}\" \"{tmp.FullName}\"") { UseShellExecute = false })!;
            run.WaitForExit();
            Assert.Equal(0, run.ExitCode);
            foreach (var name in new[] { "attenuation.csv", "lines.csv" })
                Assert.Equal(File.ReadAllText(Path.Combine(folder, name)), File.ReadAllText(Path.Combine(tmp.FullName, name)));
        }
        finally
        {
            tmp.Delete(true);
        }
    }
}
