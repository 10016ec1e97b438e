using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.Logging.Abstractions;
using MiniExcelLibs;
using NQPF.Pipeline.Figures;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Report;
using NQPF.Pipeline.Runner;
using NQPF.Stages;
using NQPF.Stages.Report;
using NQPF.Stages.Tests.Report;

namespace NQPF.Pipeline.Tests.Report;

/// <summary>
/// The report stage on small upstream tables, with the pipeline's real figure renderer and sheet reader, and every
/// writer on its result: the same cells in HTML, Word, LaTeX and Excel.
/// </summary>
public sealed class ReportDocumentsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nqpf-report-").FullName;
    private readonly ReportOptions _options = new();
    private readonly StageResult _result;

    public ReportDocumentsTests() => _result = Run(_options);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static StageResult Run(ReportOptions options) =>
        new ReportStage(options, new ScottPlotFigureRenderer()).Run(
            new StageContext(ReportFixtures.FullRun(), ReportFixtures.Sources(), new Progress<StageProgress>(), NullLogger.Instance)
            {
                Config = new NQPF.Stages.Common.ConfigTables(ReportFixtures.Sources(), new SheetReader()),
            }, CancellationToken.None);

    private byte[] Render(IDocumentRenderer renderer, string path) =>
        renderer.Render(_result, _options).Single(d => d.RelativePath == path).Content;

    [Fact]
    public void Word_ReportModel_IsValidOpenXmlWithThreeLineTables()
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(Render(new WordReportWriter(), "report.docx")), false);

        Assert.Empty(new OpenXmlValidator().Validate(document).Select(e => e.Description + " @ " + e.Path?.XPath));
        var tables = document.MainDocumentPart!.Document!.Body!.Elements<Table>().ToList();
        Assert.Equal(_result.Tables["tables"].RowCount, tables.Count);
        foreach (var table in tables)
        {
            var borders = table.GetFirstChild<TableProperties>()!.GetFirstChild<TableBorders>()!;
            Assert.Equal(12u, borders.TopBorder!.Size!.Value);
            Assert.Equal(12u, borders.BottomBorder!.Size!.Value);
            Assert.Equal(BorderValues.Nil, borders.InsideVerticalBorder!.Val!.Value);
            Assert.Equal(BorderValues.Nil, borders.LeftBorder!.Val!.Value);
        }
        // Every figure as its PNG, inline.
        Assert.Equal(_result.Tables["figures"].RowCount, document.MainDocumentPart.ImageParts.Count());
        Assert.Equal(_result.Tables["figures"].RowCount, document.MainDocumentPart.Document.Body.Descendants<Drawing>().Count());
        var fonts = document.MainDocumentPart.Document.Body.Descendants<RunFonts>().ToList();
        Assert.All(fonts, f => Assert.Equal(("Times New Roman", "SimSun"), (f.Ascii!.Value, f.EastAsia!.Value)));
    }

    [Fact]
    public void Word_RegressionTables_HaveTheSameCellsAsTheHtml()
    {
        var html = Encoding.UTF8.GetString(Render(new HtmlReportWriter(), "index.html"));
        using var document = WordprocessingDocument.Open(new MemoryStream(Render(new WordReportWriter(), "report.docx")), false);
        var word = document.MainDocumentPart!.Document!.Body!.Elements<Table>().ToList();
        var printed = PrintedReport.Read(_result.Tables).Tables.ToList();

        var regression = printed.Select((t, i) => (Table: t, Index: i)).Where(p => p.Table.Kind == ReportTableKind.Regression).ToList();
        Assert.True(regression.Count >= 8, $"{regression.Count} regression tables");
        foreach (var (table, index) in regression)
        {
            var wordCells = WordCells(word[index]);
            Assert.Equal(HtmlCells(html, table.Id), wordCells);
            Assert.Contains(wordCells, r => r[0] == "City FE");
        }
    }

    // The HonestDiD table and the province-clustering table's wild-bootstrap row: the same cells in the page, the Word
    // document, the workbook (p-values as numbers) and the LaTeX file (M̄ and ∞ in math mode, so pdflatex sets them).
    [Fact]
    public void AllFormats_SensitivityTableAndWildBootstrapRow_ShowTheSameCells()
    {
        var html = Encoding.UTF8.GetString(Render(new HtmlReportWriter(), "index.html"));
        using var document = WordprocessingDocument.Open(new MemoryStream(Render(new WordReportWriter(), "report.docx")), false);
        var word = document.MainDocumentPart!.Document!.Body!.Elements<Table>().ToList();
        var printed = PrintedReport.Read(_result.Tables).Tables.ToList();
        using var workbook = new MemoryStream(Render(new ExcelReportWriter(), "report.xlsx"));

        foreach (var id in new[] { "table-inference", "table-sensitivity-bb", "table-sensitivity-cl" })
        {
            var index = printed.FindIndex(t => t.Id == id);
            var cells = WordCells(word[index]);
            Assert.Equal(HtmlCells(html, id), cells);
            Assert.Equal([.. printed[index].Header.Concat(printed[index].Rows).Select(r => r.ToArray())], cells);
            workbook.Position = 0;
            var sheet = MiniExcel.Query(workbook, sheetName: printed[index].Number).Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(cells.Length + printed[index].Notes.Count, sheet.Count);
            for (var r = 0; r < cells.Length; r++)
            {
                var values = sheet[r].Values.ToArray();
                Assert.All(cells[r].Select((cell, c) => (cell, c)), p => Assert.Equal(p.cell, values[p.c] is double v
                    ? double.Parse(p.cell, System.Globalization.CultureInfo.InvariantCulture) == v ? p.cell : v.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : values[p.c]?.ToString() ?? ""));
            }
        }
        var inference = printed.Single(t => t.Id == "table-inference");
        Assert.Contains(["Wild bootstrap p", "", "0.002"], inference.Rows);
        Assert.Contains(inference.Notes, n => n.Contains("rademacher weights", StringComparison.Ordinal) && n.Contains("9999 seeded draws", StringComparison.Ordinal));
        workbook.Position = 0;
        var wild = MiniExcel.Query(workbook, sheetName: inference.Number).Cast<IDictionary<string, object>>().First(r => Equals(r["A"], "Wild bootstrap p"));
        Assert.Equal(0.002, Assert.IsType<double>(wild["C"]));
        Assert.Contains(@"Wild bootstrap p &  & 0.002 \\", LatexReportWriter.Table(inference, chinese: false), StringComparison.Ordinal);
        var sensitivity = LatexReportWriter.Table(printed.Single(t => t.Id == "table-sensitivity-cl"), chinese: false);
        Assert.Contains(@"C-LF (relative magnitudes) & $\bar{M}$ = 0.5 & [0.0110, 0.0290]", sensitivity, StringComparison.Ordinal);
        Assert.Contains(@"Breakdown value & $\bar{M}$ & $\infty$", sensitivity, StringComparison.Ordinal);
    }

    private static string[][] WordCells(Table table) =>
        [.. table.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray())];

    private static string[][] HtmlCells(string html, string id)
    {
        var table = Regex.Match(html, $"<div class=\"report-table\" id=\"{id}\">.*?</table>", RegexOptions.Singleline).Value;
        return [.. Regex.Matches(table, "<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)
            .Select(r => Regex.Matches(r.Groups[1].Value, "<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)
                .Select(c => System.Net.WebUtility.HtmlDecode(Regex.Replace(c.Groups[1].Value, "<[^>]+>", ""))).ToArray())];
    }

    [Fact]
    public void Excel_ReportModel_HasOneSheetPerTableWithNumbersAsNumbers()
    {
        using var stream = new MemoryStream(Render(new ExcelReportWriter(), "report.xlsx"));

        var sheets = MiniExcel.GetSheetNames(stream);

        Assert.Equal(_result.Tables["tables"].RowCount + 1, sheets.Count);
        Assert.Equal(["contents", "Scorecard", "Table 1"], sheets.Take(3));
        stream.Position = 0;
        var baseline = MiniExcel.Query(stream, sheetName: "Table 4").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal("(1)", baseline[0]["B"]);
        Assert.Equal("0.0193***", baseline[2]["B"]);
        Assert.Equal("(0.0021)", baseline[3]["B"]);
        var n = baseline.Single(r => Equals(r["A"], "N"));
        Assert.Equal(3025.0, Assert.IsType<double>(n["B"]));
    }

    [Fact]
    public void Latex_EveryTableAndMain_CompilesWithPdflatex()
    {
        var documents = new LatexReportWriter().Render(_result, _options);
        var latex = WriteLatex(_dir, _result, documents);
        Assert.Equal(_result.Tables["tables"].RowCount + 1, documents.Count);
        var baseline = File.ReadAllText(Path.Combine(latex, "table-baseline.tex"));
        Assert.Contains(@"\toprule", baseline, StringComparison.Ordinal);
        Assert.Contains(@"Broadband China & 0.0193*** & 0.0137*** &  &  \\", baseline, StringComparison.Ordinal);
        Assert.DoesNotContain("|", baseline, StringComparison.Ordinal);

        var (code, log) = Pdflatex(latex);

        Assert.True(code == 0, log);
        Assert.True(new FileInfo(Path.Combine(latex, "main.pdf")).Length > 10_000);
    }

    // The Chinese report compiles with the same pdflatex: CJKutf8 and the Arphic gbsn face (Debian's latex-cjk-chinese,
    // latex-cjk-chinese-arphic-gbsn00lp; .ci/run installs them when missing), and the PDF carries the CJK font.
    [Fact]
    public void Latex_ChineseReport_CompilesWithPdflatexAndCjkutf8()
    {
        var options = new ReportOptions { Language = ReportLanguage.Chinese };
        var result = Run(options);
        var documents = new LatexReportWriter().Render(result, options);
        var latex = WriteLatex(Path.Combine(_dir, "zh"), result, documents);
        var main = File.ReadAllText(Path.Combine(latex, "main.tex"));
        Assert.Contains(@"\begin{CJK}{UTF8}{gbsn}", main, StringComparison.Ordinal);
        Assert.Contains("基准回归", File.ReadAllText(Path.Combine(latex, "table-baseline.tex")), StringComparison.Ordinal);

        var (code, log) = Pdflatex(latex);

        Assert.True(code == 0, log);
        var pdf = File.ReadAllBytes(Path.Combine(latex, "main.pdf"));
        Assert.True(pdf.Length > 10_000);
        Assert.Contains("gbsn", log + Encoding.Latin1.GetString(pdf), StringComparison.OrdinalIgnoreCase);
    }

    // The Chinese page in Chromium: its title is drawn with CJK glyphs (a font from fonts-wqy-microhei or fonts-noto-cjk,
    // which .ci/run installs), so swapping it for other characters of the same length changes the pixels; boxes would not.
    [Fact]
    public async Task Html_ChineseTitleInChromium_IsDrawnWithGlyphsNotBoxes()
    {
        var options = new ReportOptions { Language = ReportLanguage.Chinese, Title = "新质生产力政策评估" };
        var html = Path.Combine(_dir, "index.html");
        File.WriteAllBytes(html, new HtmlReportWriter().Render(Run(options), options).Single().Content);

        var (before, after) = await Infrastructure.ReportBrowser.ScreenshotTextSwapAsync(html, "header h1", "宽带中国试点城市群");

        var differing = Figures.FigureFontTests.DifferingPixels(before, after);
        Assert.True(differing > 200, $"{differing} pixels differ between two different Chinese titles");
    }

    /// <summary>The LaTeX files and the figures' PNGs (which main.tex includes) under <paramref name="root"/>; returns the latex folder.</summary>
    private static string WriteLatex(string root, StageResult result, IReadOnlyList<StageDocument> documents)
    {
        foreach (var d in documents.Concat(result.Documents.Where(d => d.RelativePath.EndsWith(".png", StringComparison.Ordinal))))
        {
            var path = Path.Combine(root, d.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, d.Content);
        }
        return Path.Combine(root, "latex");
    }

    /// <summary>pdflatex from Debian's texlive-latex-recommended (installed by .ci/run when missing), non-interactive.</summary>
    private static (int Code, string Log) Pdflatex(string directory)
    {
        const string executable = "/usr/bin/pdflatex";
        if (!File.Exists(executable))
            throw new InvalidOperationException($"{executable} is missing: install texlive-latex-recommended (.ci/run does).");
        var start = new ProcessStartInfo(executable) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-interaction=nonstopmode", "-halt-on-error", "main.tex" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
            process.Kill();
        return (process.ExitCode, output.Result + error.Result);
    }

    [Fact]
    public void Html_ChineseLanguage_PrintsChineseTitlesAndTheSameNumbers()
    {
        var options = new ReportOptions { Language = ReportLanguage.Chinese };
        var result = Run(options);

        var html = Encoding.UTF8.GetString(new HtmlReportWriter().Render(result, options).Single().Content);

        Assert.Contains("lang=\"zh-CN\"", html, StringComparison.Ordinal);
        Assert.Contains("研究假说检验汇总", html, StringComparison.Ordinal);
        Assert.Contains("表 4. 基准回归", html, StringComparison.Ordinal);
        Assert.Contains("0.0137***", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"verdict supported\">支持</td>", html, StringComparison.Ordinal);
    }
}
