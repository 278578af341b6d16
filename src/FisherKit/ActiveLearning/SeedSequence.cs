namespace FisherKit.ActiveLearning;

/// <summary>
/// Derives independent seeds from a run seed and a path (round, purpose), with the SplitMix64 mixer.
/// Every random choice of a round depends only on (seed, round, purpose), so a resumed run draws
/// exactly what an uninterrupted run draws.
/// </summary>
public static class SeedSequence
{
    /// <summary>The seed for <paramref name="parts"/> under <paramref name="seed"/> (non-negative, fits a long).</summary>
    public static long Derive(long seed, params long[] parts)
    {
        ulong h = Mix(unchecked((ulong)seed) ^ 0x6A09E667F3BCC909UL);
        foreach (var p in parts) h = Mix(h ^ Mix(unchecked((ulong)p) + 0x9E3779B97F4A7C15UL));
        return (long)(h >> 1);
    }

    /// <summary>Purposes of derived seeds.</summary>
    public static class Purpose
    {
        /// <summary>Initial weights of a model.</summary>
        public const long Model = 1;
        /// <summary>Training (mini-batch order, dropout masks).</summary>
        public const long Fit = 2;
        /// <summary>The acquisition's own randomness (MC samples, random choices).</summary>
        public const long Acquire = 3;
        /// <summary>The random pool subset scored in a round.</summary>
        public const long Subset = 4;
        /// <summary>The initial labelled set.</summary>
        public const long Initial = 5;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
