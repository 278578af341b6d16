namespace FisherKit.Notebooks.Runner;

/// <summary>What <see cref="NotebookRunner"/> runs and how.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>The notebook to run; it is only read.</summary>
    public required string InputPath { get; init; }

    /// <summary>Where the executed notebook goes (may equal <see cref="InputPath"/> to update in place).</summary>
    public required string OutputPath { get; init; }

    /// <summary>Parameter values (<c>-p name=value</c>).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Per-cell wall-clock limit (null: none): positive, at most <see cref="MaxCellTimeout"/>, and only with
    /// <see cref="UseWorkerProcess"/> (a cell running in the caller's process cannot be stopped).
    /// </summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>The longest <see cref="CellTimeout"/>: 30 days (a timer cannot wait much beyond 49).</summary>
    public static readonly TimeSpan MaxCellTimeout = TimeSpan.FromDays(30);

    /// <summary>Go on after a cell error (time-outs and crashes still stop the run: the state is gone).</summary>
    public bool AllowErrors { get; init; }

    /// <summary>Run cells in a supervised worker process (default) rather than in this process.</summary>
    public bool UseWorkerProcess { get; init; } = true;

    /// <summary>Package folders for <c>#r "nuget: ..."</c> (null: the default NuGet folder).</summary>
    public IReadOnlyList<string>? PackageFolders { get; init; }

    /// <summary>Add a static PNG to every figure output (needs Chromium).</summary>
    public bool StaticImages { get; init; } = true;

    /// <summary>Write the partly executed notebook at most this often while running.</summary>
    public TimeSpan AutosaveInterval { get; init; } = TimeSpan.FromSeconds(30);
}
