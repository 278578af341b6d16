using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher;

/// <summary>Names and shapes of a model's parameter tensors in model order: how a flat parameter vector is cut into tensors.</summary>
public sealed class ParameterLayout
{
    /// <summary>Reads the layout of <paramref name="model"/>.</summary>
    public ParameterLayout(nn.Module model) : this(model.named_parameters().Select(p => (p.name, p.parameter.shape)))
    {
        var first = model.parameters().FirstOrDefault() ?? throw new ArgumentException("The model has no parameters.", nameof(model));
        DType = first.dtype;
        Device = first.device;
    }

    /// <summary>A layout from explicit names and shapes (float64, CPU).</summary>
    public ParameterLayout(IEnumerable<(string name, long[] shape)> entries)
    {
        Entries = entries.Select(e => (e.name, e.shape.ToArray())).ToList();
        long offset = 0;
        Offsets = new long[Entries.Count];
        for (int i = 0; i < Entries.Count; i++)
        {
            Offsets[i] = offset;
            offset += Entries[i].shape.Aggregate(1L, (a, b) => a * b);
        }
        Size = offset;
    }

    /// <summary>Names and shapes in model order.</summary>
    public IReadOnlyList<(string name, long[] shape)> Entries { get; }

    /// <summary>Start of each tensor in the flat vector.</summary>
    public long[] Offsets { get; }

    /// <summary>Total number of parameters.</summary>
    public long Size { get; }

    /// <summary>dtype of the parameters.</summary>
    public ScalarType DType { get; } = ScalarType.Float64;

    /// <summary>Device of the parameters.</summary>
    public Device Device { get; } = CPU;

    /// <summary>Number of elements of entry <paramref name="index"/>.</summary>
    public long Length(int index) => Entries[index].shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Cuts a flat vector (Size) into a ParamVector with this layout (converted to the parameters' dtype).</summary>
    public ParamVector Unflatten(Tensor flat)
    {
        if (flat.ndim != 1 || flat.shape[0] != Size)
            throw new ArgumentException($"A flat parameter vector of this model needs shape [{Size}], got {TensorChecks.Shape(flat.shape)}.", nameof(flat));
        var entries = new List<(string, Tensor)>(Entries.Count);
        for (int i = 0; i < Entries.Count; i++)
        {
            using var scope = NewDisposeScope();
            var piece = flat.narrow(0, Offsets[i], Length(i)).reshape(Entries[i].shape).to(DType, Device);
            entries.Add((Entries[i].name, scope.MoveToOuter(piece.contiguous())));
        }
        return new ParamVector(entries);
    }
}
