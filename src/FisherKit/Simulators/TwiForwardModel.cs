using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// The forward model of the virtual tilted-wave interferometer: maps a form deviation Δz (height
/// above the design surface, nm) on the aperture grid to one optical-path-difference image per
/// source (nm). This is a linearisation around the design surface, not a ray tracer.
/// </summary>
/// <remarks>
/// <para><b>Geometry.</b> The design surface is z₀ = R·c·ρ²/2 with unit normal
/// n(x) = (−c x, −c y, 1)/‖·‖ (x, y normalised by R). Source s sends a plane wave along the unit
/// vector d_s ∝ (a_s, b_s, −1). Its local angle of incidence θ_s(x) has cos θ_s = −d_s·n, and the
/// reflected direction is r_s = d_s + 2 cos θ_s · n. The detector sees the surface point x through
/// source s only if the reflected ray passes the stop: r_{s,z} &gt; 0 and
/// √(r_{s,x}² + r_{s,y}²) ≤ A (A = <see cref="TwiGeometry.StopRadius"/>). This defines the region
/// (patch) M_s of source s; image channel s is zero outside it.</para>
/// <para><b>Linearised model</b> (<see cref="Apply"/>). A plane mirror moved along its normal by δ
/// lengthens the reflected path of a plane wave by 2δ cos θ. A height change Δz along z moves the
/// locally plane surface by δ = n_z Δz along its normal, so
/// <c>OPD_s(x) = M_s(x) · 2 n_z(x) cos θ_s(x) · Δz(x) = M_s(x) · w_s(x) · Δz(x)</c>,
/// with the obliquity factor w_s = 2 n_z cos θ_s (<see cref="Obliquity"/>). The model is linear,
/// OPD = H Δz with H diagonal per channel; for Δz = Σ_k c_k Z_k it is OPD = A c with
/// A[(s, x), k] = w_s(x) Z_k(x) (<see cref="DesignMatrix"/>).</para>
/// <para><b>Non-linear variant</b> (<see cref="ApplyNonlinear"/>). The same local-plane formula,
/// evaluated with the normal n′ of the deviated surface z₀ + Δz (slope c·x + ∇Δz/R, with ∇Δz by
/// finite differences on the grid):
/// <c>OPD_s^NL(x) = M_s(x) · 2 n′_z(x) cos θ′_s(x) · Δz(x)</c>, cos θ′_s = −d_s·n′. Its derivative
/// at Δz = 0 is the linear model; the difference is of second order in Δz.</para>
/// <para><b>Misalignment</b> (<see cref="WithMisalignedSource"/>). If source s is tilted by
/// (δa, δb) from its nominal direction, its patch and obliquity follow the actual direction, and the
/// comparison with the nominal design adds the wavefront tilt
/// <c>δOPD_s(x) = (δa·x + δb·y)·R</c> (R in nm) to its channel: the model becomes affine.</para>
/// </remarks>
public sealed class TwiForwardModel : IDisposable
{
    private readonly Tensor _masks;      // [S, N, N] bool
    private readonly Tensor _obliquity;  // [S, N, N] float64, zero outside the patches
    private readonly Tensor? _offset;    // [S, N, N] float64 or null
    private readonly double[] _nx, _ny, _nz; // design normal per pixel (for the non-linear model)

    /// <summary>Creates the model for a grid, a geometry and (by default) its nominal sources.</summary>
    public TwiForwardModel(ApertureGrid grid, TwiGeometry geometry, IReadOnlyList<TwiSource>? sources = null)
        : this(grid, geometry, sources ?? geometry.Sources(), null) { }

    private TwiForwardModel(ApertureGrid grid, TwiGeometry geometry, IReadOnlyList<TwiSource> sources, double[]? offset)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(sources);
        geometry.Validate();
        if (sources.Count == 0) throw new ArgumentException("At least one source is needed.", nameof(sources));
        Grid = grid;
        Geometry = geometry;
        Sources = sources.ToArray();
        int n = grid.Size, s = Sources.Count, p = n * n;
        double c = geometry.RimSlope, a = geometry.StopRadius;
        _nx = new double[p]; _ny = new double[p]; _nz = new double[p];
        var inside = new bool[p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double x = grid.Coordinate(j), y = grid.Coordinate(i);
                int q = i * n + j;
                inside[q] = x * x + y * y <= 1;
                double norm = Math.Sqrt(c * c * (x * x + y * y) + 1);
                _nx[q] = -c * x / norm; _ny[q] = -c * y / norm; _nz[q] = 1 / norm;
            }
        var masks = new bool[s * p];
        var w = new double[s * p];
        var cosTheta = new double[s * p];
        for (int k = 0; k < s; k++)
        {
            var (dx, dy, dz) = Sources[k].Direction;
            for (int q = 0; q < p; q++)
            {
                if (!inside[q]) continue;
                double cos = -(dx * _nx[q] + dy * _ny[q] + dz * _nz[q]);
                double rx = dx + 2 * cos * _nx[q], ry = dy + 2 * cos * _ny[q], rz = dz + 2 * cos * _nz[q];
                cosTheta[k * p + q] = cos;
                if (rz > 0 && Math.Sqrt(rx * rx + ry * ry) <= a)
                {
                    masks[k * p + q] = true;
                    w[k * p + q] = 2 * _nz[q] * cos;
                }
            }
        }
        _masks = tensor(masks, [s, n, n]).DetachFromDisposeScope();
        _obliquity = tensor(w, [s, n, n]).DetachFromDisposeScope();
        CosIncidence = tensor(cosTheta, [s, n, n]).DetachFromDisposeScope();
        _offset = offset is null ? null : tensor(offset, [s, n, n]).DetachFromDisposeScope();
        var seen = new int[p];
        for (int k = 0; k < s; k++)
            for (int q = 0; q < p; q++) if (masks[k * p + q]) seen[q]++;
        SourcesPerPixel = tensor(seen, [n, n]).DetachFromDisposeScope();
        UnseenPixelCount = Enumerable.Range(0, p).Count(q => inside[q] && seen[q] == 0);
    }

    /// <summary>The pixel grid.</summary>
    public ApertureGrid Grid { get; }

    /// <summary>The interferometer layout.</summary>
    public TwiGeometry Geometry { get; }

    /// <summary>The sources (actual directions), one image channel each.</summary>
    public IReadOnlyList<TwiSource> Sources { get; }

    /// <summary>S, the number of sources and image channels.</summary>
    public int SourceCount => Sources.Count;

    /// <summary>The patches M_s as a bool tensor [S, N, N] (owned by the model).</summary>
    public Tensor RegionMasks => _masks;

    /// <summary>The obliquity factors w_s = 2 n_z cos θ_s, float64 [S, N, N], zero outside the patches (owned by the model).</summary>
    public Tensor Obliquity => _obliquity;

    /// <summary>cos θ_s on the whole aperture, float64 [S, N, N] (owned by the model).</summary>
    public Tensor CosIncidence { get; }

    /// <summary>How many sources see each pixel, int32 [N, N] (owned by the model).</summary>
    public Tensor SourcesPerPixel { get; }

    /// <summary>Number of aperture pixels that no source sees (gaps between patches).</summary>
    public int UnseenPixelCount { get; }

    /// <summary>The additive term of a misaligned source, float64 [S, N, N], or null for a nominal model.</summary>
    public Tensor? Offset => _offset;

    /// <summary>
    /// The linearised model: OPD[b, s] = M_s·w_s·Δz[b] (+ the misalignment offset). Accepts Δz as
    /// [B, 1, N, N] (returns [B, S, N, N]) or [N, N] (returns [S, N, N]); keeps Δz's dtype.
    /// </summary>
    public Tensor Apply(Tensor deviation)
    {
        var dz = CheckDeviation(deviation);
        using var scope = NewDisposeScope();
        var w = _obliquity.to(dz.dtype);
        var opd = dz * w;
        if (_offset is not null) opd = opd.add(_offset.to(dz.dtype), One);
        return scope.MoveToOuter(opd);
    }

    /// <summary>
    /// The non-linear (local-plane, deviated-normal) variant: OPD[b, s] = M_s·2 n′_z cos θ′_s·Δz[b]
    /// (+ offset), computed in float64; shapes as <see cref="Apply"/>.
    /// </summary>
    public Tensor ApplyNonlinear(Tensor deviation)
    {
        var dz = CheckDeviation(deviation);
        int n = Grid.Size, p = n * n, s = SourceCount;
        var values = dz.ToDoubleArray();
        int b = values.Length / p;
        var mask = _masks.ToArray<bool>();
        var offset = _offset?.ToArray<double>();
        var aperture = Grid.Mask.ToArray<bool>();
        double scale = 1 / (Geometry.ApertureRadiusMm * TwiGeometry.NanometresPerMillimetre);
        var result = new double[b * s * p];
        var gx = new double[p];
        var gy = new double[p];
        for (int bi = 0; bi < b; bi++)
        {
            var h = values.AsSpan(bi * p, p);
            Gradient(h, aperture, n, gx, gy);
            for (int k = 0; k < s; k++)
            {
                var (dx, dy, dzs) = Sources[k].Direction;
                for (int q = 0; q < p; q++)
                {
                    int o = (bi * s + k) * p + q;
                    if (offset is not null) result[o] = offset[k * p + q];
                    if (!mask[k * p + q]) continue;
                    // Deviated normal: n' ∝ (-(slope_x + ∂Δz/∂X), -(slope_y + ∂Δz/∂Y), 1).
                    double ux = _nx[q] / _nz[q] - gx[q] * scale, uy = _ny[q] / _nz[q] - gy[q] * scale;
                    double norm = Math.Sqrt(ux * ux + uy * uy + 1);
                    double nx = ux / norm, ny = uy / norm, nz = 1 / norm;
                    double cos = -(dx * nx + dy * ny + dzs * nz);
                    result[o] += 2 * nz * cos * h[q];
                }
            }
        }
        var shape = deviation.ndim == 2 ? new long[] { s, n, n } : [b, s, n, n];
        using var r = tensor(result, shape);
        return r.to(dz.dtype);
    }

    /// <summary>
    /// The matrix A of the linear model in a basis: A[(s, i, j), k] = w_s(i, j)·basis[k, i, j], float64
    /// [S·N·N, K] (rows of pixels outside a patch are zero). For Δz = Σ c_k basis_k, OPD = A c
    /// (plus <see cref="Offset"/>).
    /// </summary>
    public Tensor DesignMatrix(Tensor basis)
    {
        Grid.CheckImage(basis, nameof(basis));
        if (basis.ndim != 3) throw new ArgumentException($"basis must be [K, N, N], got [{string.Join(", ", basis.shape)}].", nameof(basis));
        using var scope = NewDisposeScope();
        long k = basis.shape[0];
        int n = Grid.Size;
        var a = _obliquity.unsqueeze(1) * basis.to(ScalarType.Float64).unsqueeze(0); // [S, K, N, N]
        var m = a.permute(0, 2, 3, 1).reshape(SourceCount * n * n, k);
        return scope.MoveToOuter(m.contiguous());
    }

    /// <summary>
    /// The same instrument with source <paramref name="source"/> tilted by (δa, δb) (tangents; e.g.
    /// 5e-6 for 5 µrad) from its nominal direction. Its patch and obliquity follow the actual
    /// direction, and its channel gains the tilt term (δa·x + δb·y)·R of the comparison with the
    /// nominal design (see remarks). A source shifted by δ in the focal plane of a collimator of
    /// focal length f is the same as a tilt of δ/f.
    /// </summary>
    public TwiForwardModel WithMisalignedSource(int source, double tiltErrorX, double tiltErrorY)
    {
        if (source < 0 || source >= SourceCount) throw new ArgumentOutOfRangeException(nameof(source), source, $"There are {SourceCount} sources (0 … {SourceCount - 1}).");
        if (!double.IsFinite(tiltErrorX) || !double.IsFinite(tiltErrorY)) throw new ArgumentException("Tilt errors must be finite.");
        var actual = Sources.ToArray();
        actual[source] = actual[source] with { TiltX = actual[source].TiltX + tiltErrorX, TiltY = actual[source].TiltY + tiltErrorY };
        int n = Grid.Size, p = n * n;
        var offset = _offset?.ToArray<double>() ?? new double[SourceCount * p];
        double r = Geometry.ApertureRadiusMm * TwiGeometry.NanometresPerMillimetre;
        var aperture = Grid.Mask.ToArray<bool>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (aperture[i * n + j])
                    offset[source * p + i * n + j] += (tiltErrorX * Grid.Coordinate(j) + tiltErrorY * Grid.Coordinate(i)) * r;
        // The tilt term is seen only where the actual source's patch is; build the model, then mask the offset.
        var model = new TwiForwardModel(Grid, Geometry, actual, offset);
        using (no_grad()) model._offset!.mul_(model._masks);
        return model;
    }

    private Tensor CheckDeviation(Tensor deviation)
    {
        ArgumentNullException.ThrowIfNull(deviation);
        Grid.CheckImage(deviation, nameof(deviation));
        bool ok = deviation.ndim == 2 || (deviation.ndim == 4 && deviation.shape[1] == 1);
        if (!ok) throw new ArgumentException($"deviation must be [B, 1, {Grid.Size}, {Grid.Size}] or [{Grid.Size}, {Grid.Size}], got [{string.Join(", ", deviation.shape)}].", nameof(deviation));
        if (!deviation.is_floating_point()) throw new ArgumentException($"deviation must be a floating-point tensor, got {deviation.dtype}.", nameof(deviation));
        return deviation;
    }

    /// <summary>∂h/∂x, ∂h/∂y per normalised unit: central differences, one-sided next to the aperture edge.</summary>
    internal static void Gradient(ReadOnlySpan<double> h, bool[] aperture, int n, double[] gx, double[] gy)
    {
        double pitch = 2.0 / n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int q = i * n + j;
                gx[q] = gy[q] = 0;
                if (!aperture[q]) continue;
                bool l = j > 0 && aperture[q - 1], r = j < n - 1 && aperture[q + 1];
                bool d = i > 0 && aperture[q - n], u = i < n - 1 && aperture[q + n];
                gx[q] = l && r ? (h[q + 1] - h[q - 1]) / (2 * pitch) : r ? (h[q + 1] - h[q]) / pitch : l ? (h[q] - h[q - 1]) / pitch : 0;
                gy[q] = d && u ? (h[q + n] - h[q - n]) / (2 * pitch) : u ? (h[q + n] - h[q]) / pitch : d ? (h[q] - h[q - n]) / pitch : 0;
            }
    }

    /// <summary>Releases the model's tensors (not the grid).</summary>
    public void Dispose()
    {
        _masks.Dispose();
        _obliquity.Dispose();
        _offset?.Dispose();
        CosIncidence.Dispose();
        SourcesPerPixel.Dispose();
    }
}
