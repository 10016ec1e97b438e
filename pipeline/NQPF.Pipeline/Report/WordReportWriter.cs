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
/// parentheses, labels in the configured language), numbered captions above and notes below in a smaller size.
/// Fonts: Times New Roman for Latin text and SimSun (宋体) for Chinese.
/// </summary>
internal sealed class WordReportWriter : IDocumentRenderer
{
    private const uint ThickRule = 12; // eighths of a point: 1.5 pt
    private const uint ThinRule = 4;   // 0.5 pt

    public string Stage => "report";

    public int Version => 1;

    public IReadOnlyList<StageDocument> Render(StageResult result, object settings)
    {
        var options = (ReportOptions)settings;
        var chinese = options.Language == ReportLanguage.Chinese;
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            body.Append(Text(options.Title, size: 32, bold: true, center: true));
            var number = 0;
            foreach (var section in ReportTables.Read(result.Tables))
            {
                body.Append(Text(section.Title, size: 28, bold: true));
                if (section.Missing is not null)
                    body.Append(Text(section.Missing, size: 20, italic: true));
                foreach (var table in section.Tables)
                {
                    number++;
                    body.Append(Text((chinese ? $"表 {number}  " : $"Table {number}. ") + table.Title, size: 21, bold: true, center: true));
                    body.Append(ThreeLineTable(table));
                    foreach (var note in table.Notes)
                        body.Append(Text(note, size: 18));
                }
            }
            body.Append(new SectionProperties(new PageSize { Width = 16838, Height = 11906, Orient = PageOrientationValues.Landscape },
                new PageMargin { Top = 1134, Bottom = 1134, Left = 1134, Right = 1134, Header = 567, Footer = 567, Gutter = 0 }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return [new StageDocument("report.docx", stream.ToArray())];
    }

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
        word.Append(new TableGrid(table.Header.Select(_ => new GridColumn())));
        word.Append(Row(table.Header, header: true));
        foreach (var row in table.Rows)
            word.Append(Row(row, header: false));
        return word;
    }

    private static TableRow Row(IReadOnlyList<string> cells, bool header)
    {
        var row = new TableRow();
        if (header)
            row.Append(new TableRowProperties(new TableHeader()));
        for (var i = 0; i < cells.Count; i++)
        {
            var properties = new TableCellProperties();
            if (header)
                properties.Append(new TableCellBorders(new BottomBorder { Val = BorderValues.Single, Size = ThinRule, Color = "000000" }));
            var cell = new TableCell(properties, Text(cells[i], size: 20, bold: false, center: i > 0 || header));
            row.Append(cell);
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
