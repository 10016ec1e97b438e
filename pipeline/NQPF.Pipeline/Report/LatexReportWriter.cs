using System.Globalization;
using System.Text;
using NQPF.Pipeline.Runner;
using NQPF.Stages;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Report;

/// <summary>
/// latex/: one booktabs table per file (latex/table-baseline.tex, …: \toprule, \midrule under the header and above the
/// statistics block, \bottomrule, notes beneath in \footnotesize) with the same cells as the page, and latex/main.tex,
/// which includes them in report order and compiles with pdflatex (booktabs, graphicx, geometry: Debian's
/// texlive-latex-recommended). The Chinese report's text is set by pdflatex too, inside a CJK environment (CJKutf8 with
/// the Arphic gbsn Song face: Debian's latex-cjk-chinese and latex-cjk-chinese-arphic-gbsn00lp, about 6 MB, where
/// xelatex with ctexart needs texlive-xetex and texlive-lang-chinese, about 340 MB); the English report replaces
/// characters pdflatex cannot set (city names in the appendix) by "?".
/// </summary>
internal sealed class LatexReportWriter : IDocumentRenderer
{
    public string Stage => "report";

    public int Version => 1;

    public IReadOnlyList<StageDocument> Render(StageResult result, object settings)
    {
        var report = PrintedReport.Read(result.Tables);
        var documents = report.Tables.Select(t => new StageDocument("latex/" + t.Id + ".tex", Encoding.UTF8.GetBytes(Table(t, report.Chinese)))).ToList();
        documents.Add(new StageDocument("latex/main.tex", Encoding.UTF8.GetBytes(MainFile(report))));
        return documents;
    }

    private static string MainFile(PrintedReport report)
    {
        var tex = new StringBuilder();
        tex.AppendLine(@"\documentclass[11pt]{article}").AppendLine(@"\usepackage[utf8]{inputenc}");
        if (report.Chinese)
            tex.AppendLine(@"\usepackage{CJKutf8}");
        tex.AppendLine(@"\usepackage[a4paper,landscape,margin=15mm]{geometry}").AppendLine(@"\usepackage{booktabs}").AppendLine(@"\usepackage{graphicx}");
        tex.AppendLine(@"\usepackage{float}").AppendLine(@"\setlength{\tabcolsep}{4pt}");
        tex.Append(@"\title{").Append(Escape(report.Title, report.Chinese)).AppendLine("}").AppendLine(@"\date{}").AppendLine(@"\begin{document}");
        if (report.Chinese)
            tex.AppendLine(@"\begin{CJK}{UTF8}{gbsn}");
        tex.AppendLine(@"\maketitle");
        foreach (var section in report.Sections)
        {
            tex.Append(@"\section*{").Append(Escape(section.Title, report.Chinese)).AppendLine("}");
            foreach (var block in section.Blocks)
            {
                if (block.Table is { } table)
                    tex.Append(@"\input{").Append(table.Id).AppendLine("}");
                else if (block.Figure is { } figure)
                    tex.AppendLine(@"\begin{figure}[H]\centering").Append(@"\includegraphics[width=0.85\textwidth]{../").Append(figure.PngPath).AppendLine("}")
                        .Append(@"\caption*{").Append(Escape(figure.Number + ". " + figure.Title + ". " + figure.Caption, report.Chinese)).AppendLine("}").AppendLine(@"\end{figure}");
                else
                    tex.AppendLine(Escape(block.Text, report.Chinese)).AppendLine();
            }
        }
        if (report.Chinese)
            tex.AppendLine(@"\end{CJK}");
        tex.AppendLine(@"\end{document}");
        return tex.ToString();
    }

    /// <summary>One table: caption, booktabs tabular (first column left, the others centred), notes; wide tables scaled to the text width.</summary>
    internal static string Table(ReportTable table, bool chinese)
    {
        var tex = new StringBuilder();
        var caption = (table.Number.Length > 0 ? table.Number + ". " : "") + table.Title;
        tex.AppendLine(@"\begin{table}[H]\centering\small").Append(@"\caption*{").Append(Escape(caption, chinese)).AppendLine("}");
        tex.AppendLine(@"\resizebox{\ifdim\width>\textwidth\textwidth\else\width\fi}{!}{%");
        tex.Append(@"\begin{tabular}{l").Append('c', Math.Max(0, table.ColumnCount - 1)).AppendLine("}").AppendLine(@"\toprule");
        foreach (var row in table.Header)
            tex.Append(string.Join(" & ", row.Select(c => Escape(c, chinese)))).AppendLine(@" \\");
        tex.AppendLine(@"\midrule");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            if (table.RulesBefore.Contains(r))
                tex.AppendLine(@"\midrule");
            tex.Append(string.Join(" & ", table.Rows[r].Select(c => Escape(c, chinese)))).AppendLine(@" \\");
        }
        tex.AppendLine(@"\bottomrule").AppendLine(@"\end{tabular}}");
        if (table.Notes.Count > 0)
        {
            tex.AppendLine(@"\par\vspace{2pt}\begin{minipage}{0.95\textwidth}\footnotesize");
            foreach (var note in table.Notes)
                tex.Append(Escape(note, chinese)).AppendLine(@"\par");
            tex.AppendLine(@"\end{minipage}");
        }
        tex.AppendLine(@"\end{table}");
        return tex.ToString();
    }

    /// <summary>LaTeX specials escaped; the symbols the report uses set in math mode (M̄ as $\bar{M}$); other non-Latin-1 text kept (Chinese) or "?".</summary>
    internal static string Escape(string text, bool chinese)
    {
        var tex = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            // A combining macron (M̄ of the sensitivity tables) puts a bar on the letter already written.
            if (ch == '\u0304' && tex.Length > 0 && char.IsAsciiLetter(tex[^1]))
            {
                var letter = tex[^1];
                tex.Length--;
                tex.Append(@"$\bar{").Append(letter).Append("}$");
                continue;
            }
            tex.Append(ch switch
            {
                '\\' => @"\textbackslash{}",
                '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + ch,
                '~' => @"\textasciitilde{}",
                '^' => @"\textasciicircum{}",
                '<' => "$<$",
                '>' => "$>$",
                '²' => "$^2$",
                '−' => "$-$",
                '·' => "$\\cdot$",
                '×' => "$\\times$",
                '≥' => "$\\geq$",
                '≤' => "$\\leq$",
                '√' => "$\\surd$",
                '←' => "$\\leftarrow$",
                '→' => "$\\rightarrow$",
                'α' => "$\\alpha$",
                'β' => "$\\beta$",
                'Δ' => "$\\Delta$",
                '₀' => "$_0$",
                '₁' => "$_1$",
                '“' => "``",
                '”' => "''",
                '…' => @"\ldots{}",
                '∞' => "$\\infty$",
                _ when ch < 0x100 || ch is '–' or '—' or '’' or '‘' || chinese => ch.ToString(CultureInfo.InvariantCulture),
                _ => "?",
            });
        }
        return tex.ToString();
    }
}
