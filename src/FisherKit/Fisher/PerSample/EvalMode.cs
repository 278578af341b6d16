using FisherKit.Torch;
using static FisherKit.Torch.torch;

namespace FisherKit.Fisher.PerSample;

/// <summary>Puts a model in eval mode and restores each module's previous mode on dispose.</summary>
internal sealed class EvalMode : IDisposable
{
    private readonly List<(nn.Module module, bool training)> _saved;

    public EvalMode(nn.Module model)
    {
        _saved = model.named_modules().Select(m => (m.module, m.module.training)).ToList();
        model.eval();
    }

    public void Dispose()
    {
        foreach (var (m, t) in _saved) m.train(t);
    }
}
