using System.Text;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// Replaces <see cref="Console.Out"/> and <see cref="Console.Error"/> once per process with writers
/// that send text to the observer of the cell running on the current asynchronous flow (or to the
/// original console when no cell runs).
/// </summary>
internal static class ConsoleRouter
{
    private static readonly AsyncLocal<IExecutionObserver?> Target = new();
    private static readonly object Gate = new();
    private static bool _installed;

    public static IDisposable Route(IExecutionObserver observer)
    {
        lock (Gate)
        {
            if (!_installed)
            {
                Console.SetOut(new RoutingWriter("stdout", Console.Out));
                Console.SetError(new RoutingWriter("stderr", Console.Error));
                _installed = true;
            }
        }
        var previous = Target.Value;
        Target.Value = observer;
        return new Restore(() => Target.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    private sealed class RoutingWriter(string name, TextWriter original) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (Target.Value is { } o) o.OnStream(name, value);
            else original.Write(value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write((value ?? "") + "\n");

        public override void WriteLine() => Write("\n");

        public override void Flush()
        {
            if (Target.Value is null) original.Flush();
        }
    }
}
