namespace FisherKit.ActiveLearning.Loop;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its action synchronously on the reporting thread (unlike
/// <see cref="Progress{T}"/>, which posts to a synchronisation context): what a notebook needs to redraw a
/// learning curve after each round.
/// </summary>
public sealed class ProgressCallback<T>(Action<T> action) : IProgress<T>
{
    private readonly Action<T> _action = action ?? throw new ArgumentNullException(nameof(action));

    /// <inheritdoc />
    public void Report(T value) => _action(value);
}
