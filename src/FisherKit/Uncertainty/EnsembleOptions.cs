using FisherKit.Models;
namespace FisherKit.Uncertainty;

/// <summary>
/// Settings of a <see cref="DeepEnsemble"/>: M members of the same U-Net trained from the seeds
/// seed_m = BaseSeed + 1000·m (initial weights, batch order and dropout), optionally cached.
/// </summary>
/// <param name="Members">M, the number of members.</param>
/// <param name="Network">The U-Net of every member.</param>
/// <param name="Training">The training settings of every member.</param>
/// <param name="BaseSeed">Seed of member 0.</param>
/// <param name="CacheDirectory">
/// Folder for trained members (safetensors) and their learning curves; null disables caching.
/// Members are stored under a key derived from Network, Training, BaseSeed and the training data
/// (or <see cref="DataKey"/>), so a re-run with the same settings loads instead of training.
/// </param>
/// <param name="Retrain">Train even when cached members exist (and overwrite them).</param>
/// <param name="DataKey">A name for the training data used in the cache key instead of a hash of its values.</param>
public sealed record EnsembleOptions(int Members, UNetOptions Network, RegressionTrainingOptions Training, long BaseSeed = 0, string? CacheDirectory = null, bool Retrain = false, string? DataKey = null)
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
