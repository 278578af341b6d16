namespace FisherKit.Simulators.Mammography;

/// <summary>The anode of a mammography X-ray tube.</summary>
public enum TubeAnode
{
    /// <summary>Molybdenum (K lines 17.4, 19.6 keV).</summary>
    Mo,

    /// <summary>Rhodium (K lines 20.2, 22.7 keV).</summary>
    Rh,

    /// <summary>Tungsten (bremsstrahlung only in the mammography range).</summary>
    W,
}
