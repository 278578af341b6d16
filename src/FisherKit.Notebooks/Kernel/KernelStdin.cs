namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// <see cref="Console.In"/> inside the kernel: each line read becomes an <c>input_request</c> to the
/// client that sent the running execute request (<c>Console.ReadLine</c>, <c>Console.Read</c>).
/// </summary>
internal sealed class KernelStdin(Func<string, string> readLine) : TextReader
{
    private string? _line; // the rest of a line read by Read(), with its newline
    private int _position;

    public override string? ReadLine()
    {
        if (_line is null) return readLine("");
        var rest = _line[_position..];
        _line = null;
        return rest.EndsWith('\n') ? rest[..^1] : rest;
    }

    public override int Peek()
    {
        Fill();
        return _line![_position];
    }

    public override int Read()
    {
        Fill();
        var c = _line![_position++];
        if (_position >= _line.Length) _line = null;
        return c;
    }

    private void Fill()
    {
        if (_line is not null) return;
        _line = readLine("") + "\n";
        _position = 0;
    }
}
