using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.Logging.Abstractions;
using MiniExcelLibs;
using NQPF.Pipeline.Report;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;
using NQPF.Stages.Report;
using NQPF.Stages.Tests.Report;

namespace NQPF.Pipeline.Tests.Report;

/// <summary>The report stage's page in a real headless Chromium, and the Word and Excel writers on the same model.</summary>
public sealed class ReportDocumentsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nqpf-report-").FullName;
    private readonly ReportOptions _options = new();
    private readonly StageResult _result;

    public ReportDocumentsTests()
    {
        _result = new ReportStage(_options).Run(
            new StageContext(ReportFixtures.FullRun(), [], new Progress<StageProgress>(), NullLogger.Instance), CancellationToken.None);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Html_InHeadlessChromium_RendersEverySectionAndFigureWithoutConsoleErrors()
    {
        var html = Path.Combine(_dir, "index.html");
        await File.WriteAllBytesAsync(html, _result.Documents.Single(d => d.RelativePath == "index.html").Content);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "report-fixture-screenshot.png");

        var load = await HeadlessChromium.LoadAsync(html, screenshot);

        // Event study, placebo and Bacon figures (the fixture has no estimator-comparison table).
        BrowserChecks.AssertRendered(load, BrowserChecks.Sections, minimumFigures: 3);
        Assert.Contains("id=\"simulated-banner\"", load.Dom, StringComparison.Ordinal);
    }

    [Fact]
    public void Word_ReportModel_IsValidOpenXmlWithThreeLineTables()
    {
        var docx = new WordReportWriter().Render(_result, _options).Single();
        using var document = WordprocessingDocument.Open(new MemoryStream(docx.Content), false);

        Assert.Empty(new OpenXmlValidator().Validate(document).Select(e => e.Description + " @ " + e.Path?.XPath));
        var tables = document.MainDocumentPart!.Document!.Body!.Elements<Table>().ToList();
        Assert.Equal(_result.Tables["tables"].RowCount, tables.Count);
        var borders = tables[0].GetFirstChild<TableProperties>()!.GetFirstChild<TableBorders>()!;
        Assert.Equal(12u, borders.TopBorder!.Size!.Value);
        Assert.Equal(12u, borders.BottomBorder!.Size!.Value);
        Assert.Equal(DocumentFormat.OpenXml.Wordprocessing.BorderValues.Nil, borders.InsideVerticalBorder!.Val!.Value);
        var headerCell = tables[0].Elements<TableRow>().First().Elements<TableCell>().First();
        Assert.Equal(4u, headerCell.TableCellProperties!.TableCellBorders!.BottomBorder!.Size!.Value);
        var text = document.MainDocumentPart.Document.Body.InnerText;
        Assert.Contains("0.0500***", text, StringComparison.Ordinal);
        Assert.Contains("(0.0100)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Excel_ReportModel_HasOneSheetPerTableAndTheSameCells()
    {
        var xlsx = new ExcelReportWriter().Render(_result, _options).Single();
        using var stream = new MemoryStream(xlsx.Content);

        var sheets = MiniExcel.GetSheetNames(stream);

        Assert.Equal(_result.Tables["tables"].RowCount + 1, sheets.Count);
        Assert.Equal("contents", sheets[0]);
        Assert.Contains("estimate_baseline", sheets);
        stream.Position = 0;
        var rows = MiniExcel.Query(stream, sheetName: "estimate_baseline").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal("0.0500***", rows[1]["B"]);
        Assert.Equal("(0.0100)", rows[2]["B"]);
    }

    [Fact]
    public void Word_ChineseLabels_PrintsChineseCaptions()
    {
        var options = new ReportOptions { Language = ReportLanguage.Chinese };
        var result = new ReportStage(options).Run(
            new StageContext(ReportFixtures.FullRun(), [], new Progress<StageProgress>(), NullLogger.Instance), CancellationToken.None);

        var docx = new WordReportWriter().Render(result, options).Single();
        using var document = WordprocessingDocument.Open(new MemoryStream(docx.Content), false);

        var text = document.MainDocumentPart!.Document!.Body!.InnerText;
        Assert.Contains("表 1", text, StringComparison.Ordinal);
        Assert.Contains("括号内为标准误", text, StringComparison.Ordinal);
        Assert.Contains("宽带中国", Encoding.UTF8.GetString(result.Documents.Single().Content), StringComparison.Ordinal);
    }
}
