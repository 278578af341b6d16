using FisherKit.Torch.Modules;
using static FisherKit.Torch.torch;

namespace FisherKit.Attacks;

/// <summary>Switches a model's train/eval modes for the duration of a computation and restores every module's own mode after.</summary>
internal static class ModuleModes
{
    /// <summary>Evaluation mode everywhere (dropout off, batch-norm running statistics).</summary>
    internal static IDisposable Eval(nn.Module model) => Set(model, _ => false);

    /// <summary>Evaluation mode everywhere except dropout layers, which sample masks (Monte Carlo dropout).</summary>
    internal static IDisposable DropoutOnly(nn.Module model) => Set(model, m => m is Dropout or Dropout2d);

    /// <summary>True when the model has at least one dropout layer.</summary>
    internal static bool HasDropout(nn.Module model) => model.named_modules().Any(m => m.module is Dropout or Dropout2d);

    private static IDisposable Set(nn.Module model, Func<nn.Module, bool> training)
    {
        ArgumentNullException.ThrowIfNull(model);
        var saved = model.named_modules().Select(m => (m.module, m.module.training)).ToList();
        // named_modules is pre-order: setting parents first lets children override.
        foreach (var (m, _) in saved) m.train(training(m));
        return new Restore(saved);
    }

    private sealed class Restore(List<(nn.Module module, bool training)> saved) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            foreach (var (m, t) in saved) m.train(t);
        }
    }
}
