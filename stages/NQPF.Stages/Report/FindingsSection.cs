using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>
/// The first screen: the question, the sample (cities, years, source) and the simulated-data banner where it applies
/// (styles "lead", "sample", "banner": the writers print them with the title), then the scorecard of the study's
/// claims with the verdict rule stated beneath it.
/// </summary>
internal static class FindingsSection
{
    public static ReportSection Build(ReportContext c, bool simulated)
    {
        var labels = c.Labels;
        var alpha = c.Options.SignificanceLevel;
        var blocks = new List<ReportBlock> { new ParagraphBlock(labels["findings.question"], "lead") };
        if (Sample(c) is { } sample)
            blocks.Add(new ParagraphBlock(sample, "sample"));
        if (simulated)
            blocks.Add(new ParagraphBlock(labels["findings.simulated"], "banner"));
        var claims = new Claims(c.Inputs, simulated ? c.Truth : null, alpha).Evaluate();
        blocks.Add(new TableBlock(Scorecard(c, claims)));
        blocks.Add(new ParagraphBlock(labels.Format("findings.rule", alpha.ToString("G3", CultureInfo.InvariantCulture))));
        blocks.Add(new ParagraphBlock(labels["findings.estimates"]));
        if (simulated && claims.Any(r => r.HasTruth))
        {
            blocks.Add(new ParagraphBlock(labels["findings.truth"]));
            var judged = claims.Where(r => r.HasTruth).ToList();
            blocks.Add(new ParagraphBlock(labels.Format("findings.agree", judged.Count(r => r.Verdict(alpha) == r.TruthVerdict), judged.Count)));
            var misses = judged.Where(r => r.Verdict(alpha) != r.TruthVerdict).SelectMany(r => Misses(c, r)).ToList();
            if (misses.Count > 0)
                blocks.Add(new ParagraphBlock(labels.Format("findings.misses", string.Join("; ", misses))));
        }
        return new ReportSection("findings", labels["section.findings"], blocks);
    }

    /// <summary>One row per claim; the table column holds "{table-id}", replaced by the table's number when the report is numbered.</summary>
    private static ReportTable Scorecard(ReportContext c, IReadOnlyList<ClaimResult> claims)
    {
        var labels = c.Labels;
        var alpha = c.Options.SignificanceLevel;
        var truth = claims.Any(r => r.HasTruth);
        var heads = new List<string> { "", labels["col.claim"], labels["col.verdict"], labels["col.estimate"], labels["col.p"], labels["col.checks"], labels["col.table"] };
        if (truth)
            heads.AddRange([labels["col.truth"], labels["col.recovered"]]);
        var rows = new List<IReadOnlyList<string>>();
        var links = new Dictionary<int, string>();
        foreach (var claim in claims)
        {
            var row = new List<string> { claim.Number.ToString(CultureInfo.InvariantCulture), labels["claim." + claim.Number] };
            if (claim.Absent.Count > 0 || claim.Key is null)
            {
                row.AddRange([labels.Format("findings.absent", string.Join(", ", claim.Absent)), "", "", "", ""]);
            }
            else
            {
                var key = claim.Key;
                var estimate = c.Layout.Number(key.Estimate) + " [" + c.Layout.Number(key.Low) + ", " + c.Layout.Number(key.High) + "]";
                if (claim.Parts.Count > 1)
                    estimate = Part(c, key.Label) + ": " + estimate;
                row.AddRange([labels[Verdicts.Key(claim.Verdict(alpha))], estimate, StudyGrids.P(key.P),
                    labels.Format("findings.of", claim.Agreeing(alpha), claim.Checks.Count), "{" + claim.TableId + "}"]);
                links[rows.Count] = claim.TableId;
            }
            if (truth)
            {
                row.Add(claim.HasTruth && claim.Key is { } k ? c.Layout.Number(k.Truth) + " (" + labels.Format("findings.verdict_truth", labels[Verdicts.Key(claim.TruthVerdict)]) + ")" : "");
                row.Add(claim.HasTruth && claim.Key is { } r ? labels[r.Recovers ? "yes" : "no"] : "");
            }
            rows.Add(row);
        }
        return new ReportTable("table-scorecard", "", labels["title.scorecard"], "estimate/*, robustness/*" + (truth ? ", config/" + TruthSummary.File : ""),
            ReportTableKind.Scorecard, [heads], rows, []) { Links = links };
    }

    /// <summary>
    /// Each part whose verdict differs from the truth's, with whether its 95% CI covers the truth: a CI that covers
    /// it means the test lacked power; one that excludes it means the estimator measures another quantity.
    /// </summary>
    private static IEnumerable<string> Misses(ReportContext c, ClaimResult claim)
    {
        var alpha = c.Options.SignificanceLevel;
        foreach (var part in claim.Parts.Where(p => p.Verdict(alpha) != Verdicts.OfTruth([(p.Truth, p.Sign)])))
        {
            var l = c.Labels;
            yield return l.Format("findings.miss", claim.Number, Part(c, part.Label), c.Layout.Number(part.Estimate), StudyGrids.P(part.P),
                c.Layout.Number(part.Low), c.Layout.Number(part.High), c.Layout.Number(part.Truth),
                l[part.Recovers ? "findings.covers" : "findings.excludes"], l[part.Recovers ? "findings.underpowered" : "findings.contradicts"]);
        }
    }

    /// <summary>"bb × central" → "Broadband China × Central city", word by word through the catalogue.</summary>
    private static string Part(ReportContext c, string label) =>
        string.Join(" ", label.Split(' ').Select(c.Variable));

    private static string? Sample(ReportContext c)
    {
        var panel = c.Inputs.Get(ReportDatasets.Panel, "the findings");
        var raw = c.Inputs.Get(ReportDatasets.RawFiles, "the findings");
        if (panel is null || panel.RowCount == 0)
            return null;
        var cities = panel.Strings("city_code").Distinct().Count();
        var years = panel.Longs("year");
        var yearbooks = raw is null ? [] : raw.Strings("path").Where(p => p is not null && (p.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            || p.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".xls", StringComparison.OrdinalIgnoreCase))).ToList();
        var formats = string.Join(", ", yearbooks.Select(p => Path.GetExtension(p)!.TrimStart('.').ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal));
        return c.Labels.Format("findings.sample", cities, years.Min(), years.Max(), panel.RowCount, yearbooks.Count, formats);
    }
}
