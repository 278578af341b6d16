using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// Seeds TorchSharp's global random generator for the length of a <c>using</c> block and puts the CPU generator's
/// state back afterwards, as PyTorch's <c>torch.random.fork_rng</c> does.
/// <para>
/// TorchSharp's stock modules draw from the global generator and take no generator of their own: <c>nn.Dropout</c>'s
/// masks and the default initialisation of <c>nn.Linear</c>, <c>nn.Conv2d</c>, … So FisherKit seeds it where a
/// result must be reproducible (initial weights, training, MC-dropout passes). Seeding it and leaving it seeded
/// would reset the caller's own random stream at every call: a user who draws noise or augmentations between two
/// seeded calls would draw the same values each time. Inside <see cref="Fork"/> the draws are those after
/// <c>manual_seed(seed)</c>; after it the caller's stream goes on where it was.
/// </para>
/// <para>
/// TorchSharp 0.107 exposes no state of the CUDA generators (no <c>torch.cuda.get_rng_state</c>), so
/// <c>manual_seed</c> seeds them and they stay seeded; only the CPU generator, which CPU tensors draw from, is
/// restored.
/// </para>
/// </summary>
public static class GlobalRandom
{
    /// <summary>
    /// <c>manual_seed(seed)</c> now, and the CPU generator's state as it was before when the returned object is
    /// disposed (also after an exception).
    /// </summary>
    public static IDisposable Fork(long seed)
    {
        // Out of any dispose scope: the state must outlive a scope that ends inside the block.
        var saved = get_rng_state().DetachFromDisposeScope();
        try
        {
            manual_seed(seed);
        }
        catch
        {
            saved.Dispose();
            throw;
        }
        return new Restore(saved);
    }

    private sealed class Restore(Tensor state) : IDisposable
    {
        private Tensor? _state = state;

        public void Dispose()
        {
            if (_state is not { } state) return;
            _state = null;
            using (state) set_rng_state(state);
        }
    }
}
