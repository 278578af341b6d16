namespace FisherKit.Simulators.Mammography;

/// <summary>A layer in the beam: <paramref name="Material"/> of <paramref name="ThicknessMm"/> mm.</summary>
public sealed record FilterLayer(XrayMaterial Material, double ThicknessMm);
