using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// Sets a model's train/eval modes for the duration of a computation and restores every module's
/// own mode afterwards, whatever it was (a model may be partly in training mode on purpose).
/// </summary>
/// <example>
/// <code>
/// using (ModuleMode.Eval(model)) { var logits = model.call(x); }   // dropout off, batch-norm running statistics
/// </code>
/// </example>
public static class ModuleMode
{
    /// <summary>Evaluation mode everywhere (dropout off, batch-norm running statistics).</summary>
    public static IDisposable Eval(nn.Module model) => Set(model, _ => false);

    /// <summary>Training mode everywhere (dropout on, batch statistics).</summary>
    public static IDisposable Train(nn.Module model) => Set(model, _ => true);

    /// <summary>Evaluation mode everywhere except dropout layers, which keep sampling masks (Monte Carlo dropout).</summary>
    public static IDisposable MonteCarloDropout(nn.Module model) => Set(model, ModuleTree.IsDropout);

    /// <summary>Sets each module's mode by <paramref name="training"/> (module → training?).</summary>
    public static IDisposable Set(nn.Module model, Func<nn.Module, bool> training)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        var saved = model.NamedModulesWithSelf().Select(m => (m.module, m.module.training)).ToList();
        // Pre-order: a parent's train() also sets its children, so children are set after it.
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
