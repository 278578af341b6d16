namespace FisherKit.Tests;

/// <summary>Standard normal draws for tests that need an independent reference sample, from System.Random alone.</summary>
internal static class NormalDraws
{
    /// <summary>One standard normal draw by the Box–Muller transform (two uniforms, the cosine branch).</summary>
    public static double NextNormal(this Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
