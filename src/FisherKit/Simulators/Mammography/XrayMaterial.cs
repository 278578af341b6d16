namespace FisherKit.Simulators.Mammography;

/// <summary>The materials of the X-ray tables (<see cref="XrayTables"/>): phantom, filters, anodes and detectors.</summary>
public enum XrayMaterial
{
    /// <summary>Gold (the CDMAM discs), 19.32 g/cm³.</summary>
    Au,

    /// <summary>PMMA, C5H8O2 (the phantom's body and covers), 1.19 g/cm³.</summary>
    Pmma,

    /// <summary>Aluminium (filters, the CDMAM base), 2.6989 g/cm³.</summary>
    Al,

    /// <summary>Beryllium (the tube window), 1.848 g/cm³.</summary>
    Be,

    /// <summary>Molybdenum (anode and K-edge filter), 10.28 g/cm³.</summary>
    Mo,

    /// <summary>Rhodium (anode and K-edge filter), 12.38 g/cm³.</summary>
    Rh,

    /// <summary>Silver (K-edge filter), 10.49 g/cm³.</summary>
    Ag,

    /// <summary>Tungsten (anode), 19.3 g/cm³.</summary>
    W,

    /// <summary>Caesium iodide (indirect detectors), 4.51 g/cm³.</summary>
    CsI,

    /// <summary>Amorphous selenium (direct detectors), 4.28 g/cm³.</summary>
    Se,
}
