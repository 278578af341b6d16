namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// One of FisherKit's engine switches in the environment (<c>FISHERKIT_ONEDNN</c>, <c>FISHERKIT_MALLOC</c>),
/// read the same way for each: unset or empty is the switch's default, a value is compared without case
/// or surrounding spaces, and a value outside the switch's set is reported (<see cref="Refusal"/>, <see cref="Warn"/>), never
/// silently taken for the default.
/// </summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Mode">The value, trimmed and in lower case, when it is one of <paramref name="Values"/>; null when unset, empty or unknown.</param>
/// <param name="Unknown">The value as given when it is none of <paramref name="Values"/>; otherwise null.</param>
/// <param name="Values">The values the switch takes.</param>
internal readonly record struct EnvironmentSwitch(string Name, string? Mode, string? Unknown, string[] Values)
{
    /// <summary>Reads <paramref name="name"/> from this process's environment.</summary>
    internal static EnvironmentSwitch Read(string name, params string[] values) =>
        Parse(name, Environment.GetEnvironmentVariable(name), values);

    /// <summary>Interprets <paramref name="value"/> as the value of switch <paramref name="name"/>.</summary>
    internal static EnvironmentSwitch Parse(string name, string? value, params string[] values)
    {
        var mode = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(mode)) return new(name, null, null, values);
        return values.Contains(mode) ? new(name, mode, null, values) : new(name, null, value, values);
    }

    /// <summary>For an unknown value: the diagnosis <c>CONSEQUENCE: NAME="value" is neither a nor b</c> (the value quoted as given).</summary>
    internal string Refusal(string consequence)
    {
        var choices = Values.Length == 2 ? $"neither {Values[0]} nor {Values[1]}" : $"none of {string.Join(", ", Values)}";
        return $"{consequence}: {Name}=\"{Unknown}\" is {choices}";
    }

    /// <summary>
    /// Writes a refusal as one line to stderr, where the switch takes effect (once per process), because a
    /// mistyped switch would otherwise go unnoticed.
    /// </summary>
    internal static void Warn(string refusal) => Console.Error.WriteLine($"FisherKit: {refusal}.");
}
