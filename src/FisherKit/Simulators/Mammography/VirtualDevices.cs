namespace FisherKit.Simulators.Mammography;

/// <summary>
/// Random virtual mammography units for training and testing image-quality networks. Each device draws a beam
/// (Mo/Mo, Mo/Rh, Rh/Rh or W/Rh with a 0.3 mm Be window, at a tube voltage typical of the combination), PMMA
/// slabs that harden the beam, the detector blur, the electronic noise and the detected quanta per pixel.
/// The difficulty in (0, 1] scales every range about its centre: a curriculum starts with devices
/// close to the centre and extends the set to the whole range.
/// </summary>
public static class VirtualDevices
{
    /// <summary><paramref name="count"/> devices drawn from <paramref name="seed"/>; names "device {first + i}".</summary>
    public static IReadOnlyList<MammographyDevice> Sample(int count, long seed, double difficulty = 1.0, int first = 1)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one device is needed.");
        if (!(difficulty > 0 && difficulty <= 1)) throw new ArgumentOutOfRangeException(nameof(difficulty), difficulty, "The difficulty must lie in (0, 1].");
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double U(double lo, double hi) { double mid = 0.5 * (lo + hi), half = 0.5 * (hi - lo) * difficulty; return mid - half + 2 * half * rng.NextDouble(); }
        var beams = new (TubeAnode Anode, XrayMaterial Filter, double FilterMm, double KvLo, double KvHi)[]
        {
            (TubeAnode.Mo, XrayMaterial.Mo, 0.03, 25, 30), (TubeAnode.Mo, XrayMaterial.Rh, 0.025, 26, 32),
            (TubeAnode.Rh, XrayMaterial.Rh, 0.025, 28, 33), (TubeAnode.W, XrayMaterial.Rh, 0.05, 26, 34),
        };
        var devices = new List<MammographyDevice>();
        for (int i = 0; i < count; i++)
        {
            var beam = beams[rng.Next(beams.Length)];
            double kv = Math.Round(U(beam.KvLo, beam.KvHi));
            var device = new MammographyDevice
            {
                Name = $"device {first + i}",
                Anode = beam.Anode,
                KVp = kv,
                Filters = [new(XrayMaterial.Be, 0.3), new(beam.Filter, beam.FilterMm)],
                PhantomPmmaMm = Math.Round(U(0, 40)),
                BlurSigmaPx = U(0.5, 1.0),
                ElectronicNoiseDn = U(4, 16),
                QuantaPerPixel = Math.Exp(U(Math.Log(1000), Math.Log(10000))),
            };
            device.Validate();
            devices.Add(device);
        }
        return devices;
    }
}
