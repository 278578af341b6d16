using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Execution;

/// <summary>The end of one cell's execution.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Value">The formatted value of the last expression, when there was one.</param>
/// <param name="Error">What went wrong, unless <see cref="CellStatus.Ok"/>.</param>
public sealed record CellResult(CellStatus Status, MimeBundle? Value, CellError? Error)
{
    /// <summary>A successful result.</summary>
    public static CellResult Ok(MimeBundle? value) => new(CellStatus.Ok, value, null);
}
