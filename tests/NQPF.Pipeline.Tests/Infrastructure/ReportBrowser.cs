using System.Text.Json;
using Microsoft.Playwright;

namespace NQPF.Pipeline.Tests.Infrastructure;

/// <summary>A table as Chromium laid it out: id, kind, rendered width, its header rows and the first cell of each body row.</summary>
internal sealed record RenderedTable(string Id, string Kind, double Width, string[][] Header, string[] RowLabels);

/// <summary>What Chromium showed: console messages, the first content element after the title, the tables, figures, PDF pages.</summary>
internal sealed record RenderedReport(IReadOnlyList<string> Console, string FirstContentId, IReadOnlyList<RenderedTable> Tables,
    int Figures, int FiguresWithSvg, int PdfPages, double SmallestFontPx)
{
    /// <summary>Widest table (px) with the print style sheet applied at the printable width of an A4 landscape page.</summary>
    public double WidestPrintedTable { get; init; }
}

/// <summary>
/// Loads a report in Debian's system Chromium through Playwright (ExecutablePath = /usr/bin/chromium, installed by
/// .ci/run; never a downloaded browser), measures it at a 1280 px wide viewport, screenshots it, and prints it to PDF
/// (A4 landscape, the page's own print style) beside the page as report.pdf.
/// </summary>
internal static class ReportBrowser
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>A4 landscape (297 mm) less the page's 12 mm margins, at 96 px per inch.</summary>
    public const int PrintableWidthPx = (int)((297 - 2 * 12) / 25.4 * 96);

    private const string Measure = """
        () => {
          const first = document.querySelector('header').nextElementSibling;
          const content = first.querySelector('h2 ~ *') ?? first;
          const tables = [...document.querySelectorAll('div.report-table')].map(d => {
            const t = d.querySelector('table');
            return { id: d.id, kind: t.dataset.kind, width: t.getBoundingClientRect().width,
              header: [...t.tHead.rows].map(r => [...r.cells].map(c => c.textContent.trim())),
              labels: [...t.tBodies[0].rows].map(r => r.cells[0].textContent.trim()) };
          });
          const fonts = [...document.querySelectorAll('td, th, p, figcaption')].map(e => parseFloat(getComputedStyle(e).fontSize));
          return { first: (content.id || content.querySelector('[id]')?.id || content.className), tables,
            figures: document.querySelectorAll('figure.chart').length, svg: document.querySelectorAll('figure.chart svg').length,
            font: Math.min(...fonts) };
        }
        """;

    public static async Task<RenderedReport> LoadAsync(string htmlPath, string? screenshotPath = null)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's chromium (.ci/run does: apt-get install chromium).");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Type + ": " + m.Text);
        page.PageError += (_, e) => console.Add("error: " + e);
        await page.GotoAsync(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
        var measured = await page.EvaluateAsync<JsonElement>(Measure);
        if (screenshotPath is not null)
            await page.ScreenshotAsync(new() { Path = screenshotPath });
        var pdf = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(htmlPath))!, "report.pdf");
        await page.PdfAsync(new() { Path = pdf, PreferCSSPageSize = true, PrintBackground = true });
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.SetViewportSizeAsync(PrintableWidthPx, 900);
        var printed = await page.EvaluateAsync<double>("() => Math.max(...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().width))");
        var tables = measured.GetProperty("tables").EnumerateArray().Select(t => new RenderedTable(t.GetProperty("id").GetString()!,
            t.GetProperty("kind").GetString()!, t.GetProperty("width").GetDouble(),
            [.. t.GetProperty("header").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray())],
            [.. t.GetProperty("labels").EnumerateArray().Select(c => c.GetString()!)])).ToList();
        return new RenderedReport(console, measured.GetProperty("first").GetString()!, tables, measured.GetProperty("figures").GetInt32(),
            measured.GetProperty("svg").GetInt32(), PdfPages(await File.ReadAllBytesAsync(pdf)), measured.GetProperty("font").GetDouble())
        {
            WidestPrintedTable = printed,
        };
    }

    /// <summary>
    /// Screenshots of the first element matching <paramref name="selector"/> as the page draws it, and again after its
    /// text is replaced by <paramref name="replacement"/>: text drawn with real glyphs changes the pixels, text drawn as
    /// missing-glyph boxes does not (every box looks alike).
    /// </summary>
    public static async Task<(byte[] Before, byte[] After)> ScreenshotTextSwapAsync(string htmlPath, string selector, string replacement)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
        var element = page.Locator(selector).First;
        var before = await element.ScreenshotAsync();
        await element.EvaluateAsync("(e, text) => { e.textContent = text; }", replacement);
        return (before, await element.ScreenshotAsync());
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's chromium (.ci/run does: apt-get install chromium).");
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Page objects of a PDF ("/Type /Page" not followed by "s").</summary>
    private static int PdfPages(byte[] pdf)
    {
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        return System.Text.RegularExpressions.Regex.Count(text, @"/Type\s*/Page(?!s)");
    }
}
