using FisherKit.ActiveLearning.Acquisitions;

namespace FisherKit.ActiveLearning.Experiments;

/// <summary>Settings of <see cref="WuProtocol"/>; <see cref="Full"/> is the paper's protocol, <see cref="Quick"/> a minute-sized version.</summary>
public sealed record WuProtocolSettings
{
    /// <summary>Repeats (random 80% subsets), 50 in the paper.</summary>
    public int Repeats { get; init; } = 50;

    /// <summary>Fraction of the data forming each repeat's pool.</summary>
    public double SubsetFraction { get; init; } = 0.8;

    /// <summary>Ridge parameter λ (0.01 in the paper).</summary>
    public double Lambda { get; init; } = 0.01;

    /// <summary>How GSx picks its first point.</summary>
    public GSxStart Start { get; init; } = GSxStart.ClosestToCentroid;

    /// <summary>Also run the Fisher-based acquisitions (D, A, E, BAIT) on the ridge model's Fisher (x-space designs).</summary>
    public bool IncludeFisher { get; init; } = true;

    /// <summary>Prior precision of the Fisher designs.</summary>
    public double PriorPrecision { get; init; } = 0.01;

    /// <summary>First seed; repeats use seeds FirstSeed … FirstSeed + Repeats − 1.</summary>
    public long FirstSeed { get; init; }

    /// <summary>The paper's protocol (50 repeats).</summary>
    public static WuProtocolSettings Full { get; } = new();

    /// <summary>3 repeats, for the notebook's quick mode.</summary>
    public static WuProtocolSettings Quick { get; } = new() { Repeats = 3 };
}
