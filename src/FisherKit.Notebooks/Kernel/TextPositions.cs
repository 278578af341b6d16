namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// Cursor positions: Jupyter counts Unicode code points (protocol 5.2 and later), .NET strings
/// count UTF-16 units; and a cell's code is analysed with its directive lines blanked, so positions
/// move between the two texts by line and column.
/// </summary>
internal static class TextPositions
{
    /// <summary>The UTF-16 index of code point <paramref name="codePoint"/> (clamped to the text).</summary>
    public static int ToUtf16(string text, int codePoint)
    {
        var i = 0;
        for (var cp = 0; cp < codePoint && i < text.Length; cp++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        return i;
    }

    /// <summary>The code point index of UTF-16 index <paramref name="index"/>.</summary>
    public static int ToCodePoints(string text, int index)
    {
        var cp = 0;
        for (var i = 0; i < index && i < text.Length; cp++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        return cp;
    }

    /// <summary>Moves <paramref name="index"/> of <paramref name="from"/> to the same line and column
    /// of <paramref name="to"/> (the column clamped to that line).</summary>
    public static int Map(string from, string to, int index)
    {
        index = Math.Clamp(index, 0, from.Length);
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
            if (from[i] == '\n') { line++; lineStart = i + 1; }
        var column = index - lineStart;
        var start = 0;
        for (var l = 0; l < line; l++)
        {
            var next = to.IndexOf('\n', start);
            if (next < 0) return to.Length;
            start = next + 1;
        }
        var end = to.IndexOf('\n', start);
        if (end < 0) end = to.Length;
        return Math.Min(start + column, end);
    }
}
