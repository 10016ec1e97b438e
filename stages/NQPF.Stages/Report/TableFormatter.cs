using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>
/// Formats any frame as a <see cref="ReportTable"/>. A frame with an estimate and a standard-error column is a
/// regression table: when it also has a term column and a model column it is pivoted to the journal layout (one column
/// per model, each coefficient with stars and its SE in parentheses on the row below, then N and clusters); otherwise
/// the estimate column carries the stars and the SE column the parentheses. Other frames print as they are; long
/// frames print their first <see cref="ReportOptions.MaxRows"/> rows with a note naming the checkpoint.
/// </summary>
internal sealed class TableFormatter(ReportOptions options, ReportLabels labels)
{
    private static readonly string[] TermNames = ["term", "treatment", "regressor", "variable"];
    private static readonly string[] ModelNames = ["specification", "model", "column", "estimator", "outcome", "sample"];
    private static readonly string[] StatNames = ["n", "n_obs", "nobs", "clusters", "r2", "r2_within"];

    public ReportTable Format(string id, string section, string title, string source, Frame frame)
    {
        if (EstimateColumns.Find(frame) is var (estimate, se))
        {
            var term = First(frame, TermNames);
            var model = ModelNames.FirstOrDefault(m => frame.Has(m) && frame[m] is StringColumn && m != term);
            if (term is not null && model is not null && frame[term] is StringColumn && frame.RowCount <= options.MaxRows * 4
                && UniquePairs(frame, term, model))
                return Pivot(id, section, title, source, frame, estimate, se, term, model);
            return Long(id, section, title, source, frame, estimate, se);
        }
        return Plain(id, section, title, source, frame);
    }

    /// <summary>Stars for a p-value: one per <see cref="ReportOptions.StarLevels"/> threshold it is below; none for NaN.</summary>
    public string Stars(double p) => double.IsNaN(p) ? "" : new string('*', options.StarLevels.Count(l => p < l));

    public string Number(double value) =>
        double.IsNaN(value) ? "" : double.IsInfinity(value) ? (value > 0 ? "∞" : "−∞")
        : Math.Abs(value) >= 1e4 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value.ToString("F" + options.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public string Cell(Column column, int row) => column switch
    {
        DoubleColumn d => Number(d.Values[row]),
        LongColumn l => l.Values[row].ToString(CultureInfo.InvariantCulture),
        BoolColumn b => b.Values[row] ? "1" : "0",
        StringColumn s => s.Values[row] ?? "",
        _ => "",
    };

    private ReportTable Pivot(string id, string section, string title, string source, Frame frame,
        string estimate, string se, string term, string model)
    {
        var terms = frame.Strings(term).Select(t => t ?? "").Distinct().ToList();
        var models = frame.Strings(model).Select(m => m ?? "").Distinct().ToList();
        var rowOf = new Dictionary<(string, string), int>();
        for (var i = 0; i < frame.RowCount; i++)
            rowOf[(frame.Strings(term)[i] ?? "", frame.Strings(model)[i] ?? "")] = i;
        var header = new List<string> { "" };
        header.AddRange(models.Select(m => labels[m]));
        var rows = new List<IReadOnlyList<string>>();
        foreach (var t in terms)
        {
            var coef = new List<string> { labels[t] };
            var ses = new List<string> { "" };
            foreach (var m in models)
            {
                if (rowOf.TryGetValue((t, m), out var i))
                {
                    coef.Add(Number(frame.Doubles(estimate)[i]) + Stars(EstimateColumns.PValue(frame, estimate, se, i)));
                    ses.Add(double.IsNaN(frame.Doubles(se)[i]) ? "" : "(" + Number(frame.Doubles(se)[i]) + ")");
                }
                else
                {
                    coef.Add("");
                    ses.Add("");
                }
            }
            rows.Add(coef);
            rows.Add(ses);
        }
        foreach (var stat in StatNames.Where(frame.Has))
        {
            var row = new List<string> { labels[stat] };
            foreach (var m in models)
            {
                var i = Enumerable.Range(0, frame.RowCount).First(r => (frame.Strings(model)[r] ?? "") == m);
                row.Add(Cell(frame[stat], i));
            }
            rows.Add(row);
        }
        return new ReportTable(id, section, title, source, ReportTableKind.Regression, header, rows, Notes(frame, !EstimateColumns.HasP(frame)));
    }

    private ReportTable Long(string id, string section, string title, string source, Frame frame, string estimate, string se)
    {
        var shown = frame.Columns.Where(c => !EstimateColumns.NoteNames.Contains(c.Name)).ToList();
        var count = Math.Min(frame.RowCount, options.MaxRows);
        var rows = new List<IReadOnlyList<string>>();
        for (var i = 0; i < count; i++)
        {
            rows.Add([.. shown.Select(c =>
                c.Name == estimate ? Number(frame.Doubles(estimate)[i]) + Stars(EstimateColumns.PValue(frame, estimate, se, i))
                : c.Name == se ? (double.IsNaN(frame.Doubles(se)[i]) ? "" : "(" + Number(frame.Doubles(se)[i]) + ")")
                : Cell(c, i))]);
        }
        var notes = Notes(frame, !EstimateColumns.HasP(frame)).ToList();
        if (frame.RowCount > count)
            notes.Add(Truncated(frame.RowCount, count, source));
        return new ReportTable(id, section, title, source, ReportTableKind.Regression, [.. shown.Select(c => labels[c.Name])], rows, notes);
    }

    private ReportTable Plain(string id, string section, string title, string source, Frame frame)
    {
        var count = Math.Min(frame.RowCount, options.MaxRows);
        var rows = new List<IReadOnlyList<string>>();
        for (var i = 0; i < count; i++)
            rows.Add([.. frame.Columns.Select(c => Cell(c, i))]);
        var notes = new List<string>();
        if (frame.RowCount > count)
            notes.Add(Truncated(frame.RowCount, count, source));
        if (frame.RowCount == 0)
            notes.Add(labels.Pick("The table is empty.", "该表为空。"));
        return new ReportTable(id, section, title, source, ReportTableKind.Plain, [.. frame.Columns.Select(c => labels[c.Name])], rows, notes);
    }

    private string Truncated(int total, int shown, string source) => labels.Pick(
        string.Create(CultureInfo.InvariantCulture, $"First {shown} of {total:#,0} rows; the full table is checkpoint {source} (see `export`)."),
        string.Create(CultureInfo.InvariantCulture, $"仅列出前 {shown} 行（共 {total:#,0} 行）；完整数据见检查点 {source}（`export`）。"));

    private IReadOnlyList<string> Notes(Frame frame, bool normalP)
    {
        var levels = options.StarLevels;
        var legend = labels["stars"] + "; " + string.Join(", ", levels.Select((l, i) =>
            new string('*', i + 1) + " p<" + l.ToString(CultureInfo.InvariantCulture))) + ".";
        var notes = new List<string> { legend };
        if (normalP)
            notes.Add(labels.Pick("Stars from the two-sided normal p-value of estimate/SE (the table has no p column).",
                "显著性星号依据系数/标准误的双侧正态 p 值（表中无 p 值列）。"));
        foreach (var name in EstimateColumns.NoteNames.Where(n => frame.Has(n) && frame[n] is StringColumn))
        {
            foreach (var text in frame.Strings(name).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().Take(8))
                notes.Add(labels[name] + ": " + text);
        }
        return notes;
    }

    private static string? First(Frame frame, string[] names) => EstimateColumns.First(frame, names);

    private static bool UniquePairs(Frame frame, string term, string model)
    {
        var seen = new HashSet<(string?, string?)>();
        for (var i = 0; i < frame.RowCount; i++)
        {
            if (!seen.Add((frame.Strings(term)[i], frame.Strings(model)[i])))
                return false;
        }
        return frame.RowCount > 0;
    }
}
