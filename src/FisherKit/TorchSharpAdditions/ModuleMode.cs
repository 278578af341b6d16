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
        Apply(saved.Select(m => (m.module, training(m.module))).ToList());
        return new Restore(saved);
    }

    /// <summary>
    /// Gives each module its mode. TorchSharp's <c>train(bool)</c> also sets every descendant, so modules
    /// are set parents first (pre-order); a module shared by two parents can still be reset by the later
    /// parent, which the next pass corrects (each pass fixes at least one more level, so this ends).
    /// </summary>
    private static void Apply(List<(nn.Module module, bool training)> modes)
    {
        for (int pass = 0; pass <= modes.Count; pass++)
        {
            bool changed = false;
            foreach (var (m, t) in modes)
                if (m.training != t)
                {
                    m.train(t);
                    changed = true;
                }
            if (!changed) return;
        }
    }

    private sealed class Restore(List<(nn.Module module, bool training)> saved) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            Apply(saved);
        }
    }
}
