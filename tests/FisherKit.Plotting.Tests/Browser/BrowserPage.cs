using FisherKit.Plotting.Output;
using Microsoft.Playwright;

namespace FisherKit.Plotting.Tests.Browser;

/// <summary>What a real browser made of a page: each plotly figure's trace count, and errors.</summary>
internal sealed record PageReport(IReadOnlyList<int> TracesPerFigure, IReadOnlyList<string> Errors, string? Evaluated = null);

/// <summary>
/// Loads a page in Debian's Chromium through Playwright (its bundled driver, the system browser as
/// executable) and reports, for each plotly.js figure, how many traces were drawn into its SVG.
/// </summary>
internal static class BrowserPage
{
    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public static string? SkipReason =>
        Chromium.Find() is null ? "Chromium is not installed (environment/setup.sh installs Debian's chromium); browser test skipped."
        : !PlotlyJs.IsAvailable ? "plotly.js is not installed (environment/setup.sh fetches it); browser test skipped."
        : null;

    /// <param name="htmlFile">The page.</param>
    /// <param name="evaluate">A JavaScript function run once the figures are drawn; its result (a string or a
    /// promise of one) is <see cref="PageReport.Evaluated"/>.</param>
    public static async Task<PageReport> LoadAsync(string htmlFile, string? evaluate = null)
    {
        using var playwright = await Playwright.CreateAsync();
        var profileArgs = Chromium.HeadlessArguments("unused").Where(a => !a.StartsWith("--user-data-dir", StringComparison.Ordinal) && a != "--headless");
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Find(),
            Headless = true,
            Args = profileArgs.ToArray(),
            Timeout = 60_000,
        });
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add("page error: " + e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add("console error: " + m.Text); };
        page.RequestFailed += (_, r) => errors.Add("request failed: " + r.Url);
        await page.GotoAsync(new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        // plotly.js draws asynchronously: wait until every figure container holds its SVG.
        await page.WaitForFunctionAsync(
            "() => { const f = document.querySelectorAll('.fisherkit-figure'); return f.length > 0 && [...f].every(e => e.querySelector('svg.main-svg')); }",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var counts = await page.EvaluateAsync<int[]>(
            "() => [...document.querySelectorAll('.fisherkit-figure')].map(e => e.querySelectorAll('.trace, g.hm, g.contour, g.imagelayer image').length)");
        var evaluated = evaluate is null ? null : await page.EvaluateAsync<string>(evaluate);
        return new PageReport(counts, errors, evaluated);
    }
}
