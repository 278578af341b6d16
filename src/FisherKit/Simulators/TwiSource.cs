namespace FisherKit.Simulators;

/// <summary>
/// One point source of the array. Its wave reaches the surface as a plane wave travelling along
/// d ∝ (TiltX, TiltY, −1), i.e. tilted by (TiltX, TiltY) (tangents, radians for small values)
/// against the optical axis.
/// </summary>
/// <param name="Row">Row in the source array.</param>
/// <param name="Column">Column in the source array.</param>
/// <param name="TiltX">Tangent of the tilt in the x–z plane.</param>
/// <param name="TiltY">Tangent of the tilt in the y–z plane.</param>
public sealed record TwiSource(int Row, int Column, double TiltX, double TiltY)
{
    /// <summary>The unit propagation direction d = (TiltX, TiltY, −1)/‖·‖.</summary>
    public (double x, double y, double z) Direction
    {
        get
        {
            double n = Math.Sqrt(TiltX * TiltX + TiltY * TiltY + 1);
            return (TiltX / n, TiltY / n, -1 / n);
        }
    }
}
