using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using NQPF.Pipeline.Runner;
using NQPF.Stages;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Report;

/// <summary>
/// report.docx: every report table in the three-line style of Chinese economics journals — a thick rule above the
/// table and below it, a thin rule under the header, no vertical rules — with the same cells as the page (stars, SEs in
/// parentheses, labels in the configured language), numbered captions above and notes below in a smaller size; each
/// figure as its PNG with the number and caption beneath.
/// Fonts: Times New Roman for Latin text and SimSun (宋体) for Chinese.
/// </summary>
internal sealed class WordReportWriter : IDocumentRenderer
{
    private const uint ThickRule = 12; // eighths of a point: 1.5 pt
    private const uint ThinRule = 4;   // 0.5 pt

    public string Stage => "report";

    public int Version => 3;

    public IReadOnlyList<StageDocument> Render(StageResult result, object settings)
    {
        var report = PrintedReport.Read(result.Tables);
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            body.Append(Text(report.Title, size: 32, bold: true, center: true));
            var pngs = result.Documents.ToDictionary(d => d.RelativePath, d => d.Content, StringComparer.Ordinal);
            uint figures = 0;
            foreach (var section in report.Sections)
            {
                body.Append(Text(section.Title, size: 28, bold: true));
                foreach (var block in section.Blocks)
                {
                    if (block.Figure is { } figure && pngs.TryGetValue(figure.PngPath, out var png))
                        body.Append(WordFigures.Picture(main, png, ++figures, figure.Id));
                    Block(body, block);
                }
            }
            body.Append(new SectionProperties(new PageSize { Width = 16838, Height = 11906, Orient = PageOrientationValues.Landscape },
                new PageMargin { Top = 1134, Bottom = 1134, Left = 1134, Right = 1134, Header = 567, Footer = 567, Gutter = 0 }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return [new StageDocument("report.docx", stream.ToArray())];
    }

    private static void Block(Body body, PrintedBlock block)
    {
        if (block.Table is { } table)
        {
            var caption = table.Number.Length > 0 ? table.Number + "  " + table.Title : table.Title;
            body.Append(Text(caption, size: 21, bold: true, center: true));
            body.Append(ThreeLineTable(table));
            foreach (var note in table.Notes)
                body.Append(Text(note, size: 18));
        }
        else if (block.Figure is { } figure)
        {
            body.Append(Text(figure.Number + "  " + figure.Title, size: 21, bold: true, center: true));
            body.Append(Text(figure.Caption, size: 18));
        }
        else
        {
            body.Append(Text(block.Text, size: block.Style == "lead" ? 24 : 21, bold: block.Style == "banner", italic: block.Style == "missing"));
        }
    }

    /// <summary>
    /// Three-line table: thick rules above and below, a thin rule under the last header row and above each row the
    /// table marks (the statistics block of a regression table), no vertical rules.
    /// </summary>
    private static Table ThreeLineTable(ReportTable table)
    {
        var word = new Table(new TableProperties(
            new TableJustification { Val = TableRowAlignmentValues.Center },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = ThickRule, Color = "000000" },
                new LeftBorder { Val = BorderValues.Nil },
                new BottomBorder { Val = BorderValues.Single, Size = ThickRule, Color = "000000" },
                new RightBorder { Val = BorderValues.Nil },
                new InsideHorizontalBorder { Val = BorderValues.Nil }, new InsideVerticalBorder { Val = BorderValues.Nil })));
        word.Append(new TableGrid(Enumerable.Range(0, table.ColumnCount).Select(_ => new GridColumn())));
        for (var h = 0; h < table.Header.Count; h++)
            word.Append(Row(table.Header[h], header: true, ruleBelow: h == table.Header.Count - 1, ruleAbove: false));
        for (var r = 0; r < table.Rows.Count; r++)
            word.Append(Row(table.Rows[r], header: false, ruleBelow: false, ruleAbove: table.RulesBefore.Contains(r)));
        return word;
    }

    private static TableRow Row(IReadOnlyList<string> cells, bool header, bool ruleBelow, bool ruleAbove)
    {
        var row = new TableRow();
        if (header)
            row.Append(new TableRowProperties(new TableHeader()));
        for (var i = 0; i < cells.Count; i++)
        {
            var properties = new TableCellProperties();
            if (ruleBelow || ruleAbove)
            {
                var borders = new TableCellBorders();
                if (ruleAbove)
                    borders.Append(new TopBorder { Val = BorderValues.Single, Size = ThinRule, Color = "000000" });
                if (ruleBelow)
                    borders.Append(new BottomBorder { Val = BorderValues.Single, Size = ThinRule, Color = "000000" });
                properties.Append(borders);
            }
            row.Append(new TableCell(properties, Text(cells[i], size: 20, bold: false, center: i > 0 || header)));
        }
        return row;
    }

    /// <param name="size">Half-points (21 = 10.5 pt, 五号).</param>
    private static Paragraph Text(string text, int size, bool bold = false, bool center = false, bool italic = false)
    {
        // Child order follows the schema (rFonts, b, i, sz): Word rejects some misordered properties.
        var runProperties = new RunProperties(new RunFonts { Ascii = "Times New Roman", HighAnsi = "Times New Roman", EastAsia = "SimSun" });
        if (bold)
            runProperties.Append(new Bold());
        if (italic)
            runProperties.Append(new Italic());
        runProperties.Append(new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var paragraph = new Paragraph(new ParagraphProperties(
            new SpacingBetweenLines { Before = "0", After = "60" },
            new Justification { Val = center ? JustificationValues.Center : JustificationValues.Left }));
        paragraph.Append(new Run(runProperties, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        return paragraph;
    }
}
