using FisherKit.Simulators;
using FisherKit.Uncertainty;

namespace FisherKit.Tests.Uncertainty;

/// <summary>A tiny virtual-interferometer data set (16×16 grid) for fast training tests.</summary>
internal sealed class TinyTwiData : IDisposable
{
    public TinyTwiData(int count = 48, long seed = 1)
    {
        Simulator = new TwiSimulator(new TwiOptions { GridSize = 16, MaxRadialOrder = 3, NoiseSigma = 5 });
        Batch = Simulator.Sample(count, seed);
        Inputs = Batch.Inputs(Simulator.HeightScale).DetachFromDisposeScope();
        Targets = Batch.Targets(Simulator.HeightScale).DetachFromDisposeScope();
        Mask = Simulator.Grid.Mask;
        Data = new RegressionData(Inputs, Targets, Mask);
    }

    public TwiSimulator Simulator { get; }
    public TwiBatch Batch { get; }
    public torch.Tensor Inputs { get; }
    public torch.Tensor Targets { get; }
    public torch.Tensor Mask { get; }
    public RegressionData Data { get; }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Batch.Dispose();
        Simulator.Dispose();
    }
}
