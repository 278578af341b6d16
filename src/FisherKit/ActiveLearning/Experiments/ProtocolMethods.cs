using FisherKit.ActiveLearning.Loop;

namespace FisherKit.ActiveLearning.Experiments;

/// <summary>What the protocols share about their method lists: choosing by name and adding them to an experiment.</summary>
internal static class ProtocolMethods
{
    /// <summary>
    /// The methods named in <paramref name="names"/>, in that order, or all of <paramref name="all"/> when it is null;
    /// an unknown or repeated name is an <see cref="ArgumentException"/> on the settings that list it.
    /// </summary>
    public static IReadOnlyList<MethodSpec> Choose(IReadOnlyList<MethodSpec> all, IReadOnlyList<string>? names)
    {
        if (names is null) return all;
        var byName = all.ToDictionary(m => m.Name);
        if (names.Distinct().Count() != names.Count)
            throw new ArgumentException($"A method is named twice in {string.Join(", ", names)}.", "settings");
        return names.Select(n => byName.TryGetValue(n, out var m) ? m
            : throw new ArgumentException($"Unknown method \"{n}\"; known: {string.Join(", ", all.Select(k => k.Name))}.", "settings")).ToList();
    }

    /// <summary>Adds <paramref name="methods"/> to <paramref name="experiment"/> in order.</summary>
    public static ActiveLearningExperiment AddAll(this ActiveLearningExperiment experiment, IEnumerable<MethodSpec> methods)
    {
        foreach (var m in methods) experiment.Add(m.Name, m.Acquisition, m.ModelFactory, m.Initial);
        return experiment;
    }
}
