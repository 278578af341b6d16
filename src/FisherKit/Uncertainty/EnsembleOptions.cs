using FisherKit.Models;
using FisherKit.Training;

namespace FisherKit.Uncertainty;

/// <summary>
/// Settings of a <see cref="DeepEnsemble"/>: M members of the same U-Net trained from the seeds
/// seed_m = BaseSeed + 1000·m (initial weights, batch order and dropout), optionally cached.
/// </summary>
/// <param name="Members">M, the number of members.</param>
/// <param name="Network">The U-Net of every member.</param>
/// <param name="Training">The training settings of every member (its <see cref="TrainingOptions.Seed"/> is replaced by seed_m).</param>
/// <param name="BaseSeed">Seed of member 0.</param>
/// <param name="Cache">
/// Where trained members are kept (<see cref="ResultCache"/>, e.g. <see cref="ResultCache.Default"/>); null
/// trains every time. A member trained with the same settings, seed, data and engine is loaded instead of
/// trained; <c>Cache with { Retrain = true }</c> trains again.
/// </param>
/// <param name="DataKey">A name for the training data used in the cache key instead of a hash of its values.</param>
public sealed record EnsembleOptions(int Members, UNetOptions Network, TrainingOptions Training, long BaseSeed = 0, ResultCache? Cache = null, string? DataKey = null)
{
    /// <summary>The seed of member <paramref name="member"/>.</summary>
    public long MemberSeed(int member) => BaseSeed + 1000L * member;

    /// <summary>Throws an <see cref="ArgumentException"/> for impossible settings.</summary>
    public void Validate()
    {
        if (Members < 1) throw new ArgumentOutOfRangeException(nameof(Members), Members, "An ensemble needs at least one member.");
        ArgumentNullException.ThrowIfNull(Network);
        ArgumentNullException.ThrowIfNull(Training);
        Network.Validate();
        Training.Validate();
    }
}
