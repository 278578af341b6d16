using FisherKit.Notebooks.Kernel;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>Cursor positions in code points (Jupyter) and UTF-16 (.NET), and between a cell and its analysed code.</summary>
public sealed class TextPositionsTests
{
    [Fact]
    public void Characters_outside_the_basic_plane_count_once_in_code_points_and_twice_in_utf16()
    {
        var text = "a😀b";                       // U+1F600 is a surrogate pair in UTF-16
        Assert.Equal(4, text.Length);
        Assert.Equal(3, TextPositions.ToUtf16(text, 2));   // after the emoji
        Assert.Equal(2, TextPositions.ToCodePoints(text, 3));
        Assert.Equal(4, TextPositions.ToUtf16(text, 99));  // clamped
        for (var cp = 0; cp <= 3; cp++) Assert.Equal(cp, TextPositions.ToCodePoints(text, TextPositions.ToUtf16(text, cp)));
    }

    [Fact]
    public void A_position_moves_by_line_and_column_to_the_text_with_blanked_directives()
    {
        var cell = "#!csharp\nvar x = 1;\nx.ToS";
        var analysed = "\nvar x = 1;\nx.ToS";
        Assert.Equal(analysed.Length, TextPositions.Map(cell, analysed, cell.Length));
        Assert.Equal(cell.Length - 3, TextPositions.Map(analysed, cell, analysed.Length - 3));
        Assert.Equal(0, TextPositions.Map(cell, analysed, 5)); // inside the removed directive: start of the empty line
    }
}
