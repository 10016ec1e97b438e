using System.Net;
using System.Text;
using NQPF.Pipeline.Runner;
using NQPF.Stages;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Report;

/// <summary>
/// index.html: the report as one self-contained page — inline CSS, figures as inline SVG (the PNG beside it in
/// figures/), no script, font or link to fetch — so it opens from disk or an e-mail attachment and prints. Tables in
/// the three-line style (thick top and bottom rules, thin rule under the header and above the statistics block). The
/// question, sample and simulated-data banner are printed with the title, and the scorecard is the first content after it; every section is a <c>section[data-section]</c>, every table a
/// <c>table[data-kind]</c> and every figure a <c>figure.chart</c>, which the browser test checks. A print style sheet
/// keeps tables and figures whole on A4 pages.
/// </summary>
internal sealed class HtmlReportWriter : IDocumentRenderer
{
    private const string Css = """
        body{font-family:"Noto Sans","Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:1180px;margin:0 auto;padding:1em 2em;color:#222;line-height:1.45}
        h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #333;padding-bottom:.2em;margin-top:2em}h3{font-size:1.02em;margin:1.4em 0 .4em}
        .lead{font-size:1.08em}.banner{background:#fff3cd;border:2px solid #d39e00;color:#5c4400;padding:.6em 1em;font-weight:bold;margin:.8em 0}
        .missing{color:#8a6d3b;font-style:italic}.source{color:#777;font-size:.8em;font-weight:normal}
        table{border-collapse:collapse;margin:.3em 0;font-size:.85em;border-top:2px solid #000;border-bottom:2px solid #000}
        thead tr:last-child th{border-bottom:1px solid #000}th{padding:.2em .55em;text-align:center;font-weight:normal}
        td{padding:.12em .55em;text-align:center;white-space:nowrap}td:first-child{text-align:left}tr.rule td{border-top:1px solid #000}
        table[data-kind=scorecard] td{white-space:normal;text-align:left;vertical-align:top}table[data-kind=scorecard] td.verdict{font-weight:bold;white-space:nowrap}table[data-kind=scorecard] td:nth-child(7){white-space:nowrap}
        table[data-kind=plain] td{white-space:normal;overflow-wrap:anywhere;max-width:34em}
        td.supported{color:#116611}td.opposite{color:#a00}td.not-supported{color:#8a6d3b}
        .notes{font-size:.78em;color:#444;margin:.2em 0 1.2em;max-width:1100px}.scroll{overflow-x:auto}
        figure.chart{margin:1em 0}figure.chart svg{max-width:100%;height:auto}figcaption{font-size:.85em;color:#444}
        .changed{background:#e8f4fd;border:2px solid #0072B2;padding:.6em 1em;margin:1em 0}nav ol{columns:2;padding-left:1.2em}
        @media print{body{max-width:none;padding:0;font-size:10pt}.report-table,figure.chart{break-inside:avoid}h2{break-after:avoid}nav{display:none}.scroll{overflow:visible}}
        @page{size:A4 landscape;margin:12mm}
        """;

    /// <summary>Paragraph styles printed with the title (the question, the sample, the simulated-data banner).</summary>
    internal static readonly HashSet<string> TitleStyles = ["lead", "sample", "banner"];

    public string Stage => "report";

    public int Version => 1;

    public IReadOnlyList<StageDocument> Render(StageResult result, object settings)
    {
        var report = PrintedReport.Read(result.Tables);
        var svg = result.Documents.ToDictionary(d => d.RelativePath, d => d.Content, StringComparer.Ordinal);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(report.Chinese ? "zh-CN" : "en").Append("\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\">");
        html.Append("<title>").Append(E(report.Title)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        html.Append("<header><h1>").Append(E(report.Title)).Append("</h1>");
        foreach (var block in report.Sections.SelectMany(s => s.Blocks).Where(b => TitleStyles.Contains(b.Style)))
            Paragraph(html, block);
        html.Append("</header>");
        if (report.PreviousRunId is not null && report.Sections.Any(s => s.Id == "diff"))
            html.Append("<div class=\"changed\" id=\"changed-banner\"><a href=\"#section-diff\">").Append(E(report.Sections.First(s => s.Id == "diff").Title)).Append("</a></div>");
        foreach (var section in report.Sections)
            Section(html, section, svg, VerdictClasses(new ReportLabels((ReportOptions)settings)));
        html.Append("</body></html>\n");
        return [new StageDocument("index.html", Encoding.UTF8.GetBytes(html.ToString()))];
    }

    /// <summary>CSS class of each verdict as the configured labels print it (language and label overrides applied).</summary>
    private static Dictionary<string, string> VerdictClasses(ReportLabels labels) => new(StringComparer.Ordinal)
    {
        [labels["verdict.supported"]] = "supported",
        [labels["verdict.opposite"]] = "opposite",
        [labels["verdict.not_supported"]] = "not-supported",
    };

    private static void Section(StringBuilder html, PrintedSection section, IReadOnlyDictionary<string, byte[]> documents,
        IReadOnlyDictionary<string, string> verdicts)
    {
        html.Append("<section id=\"section-").Append(section.Id).Append("\" data-section=\"").Append(section.Id).Append("\"><h2>")
            .Append(E(section.Title)).Append("</h2>");
        foreach (var block in section.Blocks)
        {
            if (block.Table is { } table)
                Table(html, table, verdicts);
            else if (block.Figure is { } figure)
                Figure(html, figure, documents);
            else if (!TitleStyles.Contains(block.Style))
                Paragraph(html, block);
        }
        html.Append("</section>");
    }

    private static void Paragraph(StringBuilder html, PrintedBlock block)
    {
        if (block.Style == "banner")
            html.Append("<div class=\"banner\" id=\"simulated-banner\" role=\"alert\">").Append(E(block.Text)).Append("</div>");
        else
            html.Append("<p class=\"").Append(block.Style).Append("\">").Append(E(block.Text)).Append("</p>");
    }

    private static void Figure(StringBuilder html, PrintedFigure figure, IReadOnlyDictionary<string, byte[]> documents)
    {
        html.Append("<figure class=\"chart\" id=\"").Append(figure.Id).Append("\"><h3>").Append(E(figure.Number)).Append(". ").Append(E(figure.Title))
            .Append("</h3>").Append(documents.TryGetValue(figure.SvgPath, out var svg) ? Encoding.UTF8.GetString(svg) : "")
            .Append("<figcaption>").Append(E(figure.Caption)).Append(" <span class=\"source\">").Append(E(figure.Source))
            .Append(" · <a href=\"").Append(E(figure.PngPath)).Append("\">PNG</a></span></figcaption></figure>");
    }

    private static void Table(StringBuilder html, ReportTable table, IReadOnlyDictionary<string, string> verdicts)
    {
        var kind = table.Kind.ToString().ToLowerInvariant();
        html.Append("<div class=\"report-table\" id=\"").Append(table.Id).Append("\"><h3>");
        if (table.Number.Length > 0)
            html.Append(E(table.Number)).Append(". ");
        html.Append(E(table.Title)).Append(" <span class=\"source\">").Append(E(table.Source)).Append("</span></h3>");
        html.Append("<div class=\"scroll\"><table data-kind=\"").Append(kind).Append("\"><thead>");
        foreach (var header in table.Header)
        {
            html.Append("<tr>");
            foreach (var h in header)
                html.Append("<th>").Append(E(h)).Append("</th>");
            html.Append("</tr>");
        }
        html.Append("</thead><tbody>");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            html.Append(table.RulesBefore.Contains(r) ? "<tr class=\"rule\">" : "<tr>");
            for (var c = 0; c < table.Rows[r].Count; c++)
                Cell(html, table, r, c, verdicts);
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
        if (table.Notes.Count > 0)
        {
            html.Append("<div class=\"notes\">");
            foreach (var note in table.Notes)
                html.Append("<div>").Append(E(note)).Append("</div>");
            html.Append("</div>");
        }
        html.Append("</div>");
    }

    /// <summary>A body cell; in the scorecard the verdict is coloured and the table reference links to the table.</summary>
    private static void Cell(StringBuilder html, ReportTable table, int r, int c, IReadOnlyDictionary<string, string> verdicts)
    {
        var text = table.Rows[r][c];
        if (table.Kind != ReportTableKind.Scorecard)
        {
            html.Append("<td>").Append(E(text)).Append("</td>");
            return;
        }
        var heads = table.Header[0];
        if (c == 2)
            html.Append("<td class=\"verdict ").Append(verdicts.GetValueOrDefault(text, "not-supported")).Append("\">").Append(E(text)).Append("</td>");
        else if (c == 6 && table.Links.TryGetValue(r, out var target) && heads.Count > 6)
            html.Append("<td><a href=\"#").Append(E(target)).Append("\">").Append(E(text)).Append("</a></td>");
        else
            html.Append("<td>").Append(E(text)).Append("</td>");
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
