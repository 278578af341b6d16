using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Curvature;

/// <summary>One dense (float64) block per parameter tensor, zero between tensors. Owns its blocks.</summary>
public sealed class BlockDiagonalCurvature : ICurvatureMatrix, IDisposable
{
    private readonly Dictionary<string, Tensor> _blocks;

    /// <summary>Creates the matrix from per-tensor blocks (P_t × P_t).</summary>
    public BlockDiagonalCurvature(ParameterLayout layout, IReadOnlyList<(string name, Tensor block)> blocks)
    {
        Layout = layout;
        _blocks = blocks.ToDictionary(b => b.name, b => b.block.DetachFromDisposeScope());
        for (int i = 0; i < layout.Entries.Count; i++)
        {
            var (name, _) = layout.Entries[i];
            if (!_blocks.TryGetValue(name, out var blk)) throw new ArgumentException($"No block for parameter \"{name}\".", nameof(blocks));
            var n = layout.Length(i);
            if (!blk.shape.SequenceEqual(new[] { n, n })) throw new ArgumentException($"Block \"{name}\" must be [{n}, {n}], got {TensorChecks.Shape(blk.shape)}.", nameof(blocks));
        }
    }

    /// <summary>The parameter layout.</summary>
    public ParameterLayout Layout { get; }

    /// <inheritdoc />
    public long Size => Layout.Size;

    /// <summary>The block of one parameter tensor (owned by this matrix).</summary>
    public Tensor this[string name] => _blocks[name];

    private ParamVector Map(ParamVector v, Func<Tensor, Tensor, Tensor> f) =>
        v.Map(n => f(_blocks[n], v[n].reshape(-1).to(ScalarType.Float64)).reshape(v[n].shape).to(v[n].dtype));

    /// <inheritdoc />
    public ParamVector MatVec(ParamVector v) => Map(v, (b, x) => b.mv(x));

    /// <inheritdoc />
    public double QuadraticForm(ParamVector v)
    {
        using var scope = NewDisposeScope();
        return v.Names.Sum(n => { var x = v[n].reshape(-1).to(ScalarType.Float64); return x.dot(_blocks[n].mv(x)).ToDouble(); });
    }

    /// <inheritdoc />
    public double Trace() => _blocks.Values.Sum(b => { using var t = b.trace(); return t.ToDouble(); });

    /// <inheritdoc />
    public ParamVector Diagonal()
    {
        using var scope = NewDisposeScope();
        return Layout.Unflatten(cat(Layout.Entries.Select(e => _blocks[e.name].diagonal()).ToList())).MoveOutOf(scope);
    }

    /// <inheritdoc />
    public ParamVector Solve(ParamVector b, double damping) =>
        Map(b, (blk, x) => linalg.solve(blk.add(eye(blk.shape[0], dtype: ScalarType.Float64) * Hold(damping), One), x.unsqueeze(1)).squeeze(1));

    /// <inheritdoc />
    public Tensor ToDense()
    {
        using var scope = NewDisposeScope();
        var d = zeros([Size, Size], ScalarType.Float64);
        for (int i = 0; i < Layout.Entries.Count; i++)
        {
            var o = Layout.Offsets[i];
            var n = Layout.Length(i);
            d.narrow(0, o, n).narrow(1, o, n).copy_(_blocks[Layout.Entries[i].name]);
        }
        return scope.MoveToOuter(d);
    }

    /// <summary>Releases the blocks.</summary>
    public void Dispose()
    {
        foreach (var b in _blocks.Values) b.Dispose();
    }
}
