namespace FisherKit.Torch;

/// <summary>
/// The FisherKit tensor library, spelled as PyTorch: <c>torch.randn</c>, <c>torch.nn.Linear</c>,
/// <c>torch.optim.Adam</c>, <c>x.backward()</c>. With <c>using static FisherKit.Torch.torch;</c> code reads
/// like PyTorch and ports to TorchSharp by changing the usings.
/// </summary>
public static partial class torch
{
}
