using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>The four tables of a comparison between two runs (each may be empty).</summary>
public sealed record RunDiffResult(Frame Files, Frame Coverage, Frame Weights, Frame Estimates)
{
    public int FlaggedEstimates => Estimates.RowCount == 0 ? 0 : Estimates.Strings("flag").Count(f => !string.IsNullOrEmpty(f));
}

/// <summary>
/// What changed between an old and a new run, from their tables keyed "stage/name":
/// raw files added, removed or changed (run/raw_files); cities and years added or removed (clean/panel, else
/// ingest/panel); index weights (index/weights: old, new, change); and every key estimate — each row of each estimate
/// table of the estimate and robustness stages (see <see cref="EstimateColumns"/>) present in both runs, except rows a
/// regression table marks as not a key term (key_term false: control coefficients) — with the
/// old and new value (tables of per-draw results, with a "draw" column, are distributions and are skipped), the
/// change in units of the old SE, (new − old)/old_se, and a flag when that exceeds
/// <see cref="ReportOptions.DiffThresholdSe"/> in absolute value, when the sign changed, or when significance at
/// <see cref="ReportOptions.SignificanceLevel"/> changed. An old SE of 0 or NaN gives a NaN change in SE units (never
/// flagged by the threshold). Rows only in one run are listed with status added/removed.
/// </summary>
public static class RunDiff
{
    public static readonly string[] EstimateStages = ["estimate", "robustness"];

    public static RunDiffResult Compute(IReadOnlyDictionary<string, Frame> previous, IReadOnlyDictionary<string, Frame> current, ReportOptions options) =>
        new(Files(previous, current), Coverage(previous, current), Weights(previous, current), Estimates(previous, current, options));

    private static Frame Files(IReadOnlyDictionary<string, Frame> previous, IReadOnlyDictionary<string, Frame> current)
    {
        var before = Listing(previous);
        var after = Listing(current);
        var rows = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Old: before.GetValueOrDefault(path), New: after.GetValueOrDefault(path)))
            .Where(r => r.Old != r.New)
            .Select(r => (r.Path, Status: r.Old is null ? "added" : r.New is null ? "removed" : "changed", r.Old, r.New))
            .ToList();
        return new Frame(
            new StringColumn("path", [.. rows.Select(r => (string?)r.Path)]),
            new StringColumn("status", [.. rows.Select(r => (string?)r.Status)]),
            new StringColumn("old_sha256", [.. rows.Select(r => r.Old)]),
            new StringColumn("new_sha256", [.. rows.Select(r => r.New)]));
    }

    private static Dictionary<string, string?> Listing(IReadOnlyDictionary<string, Frame> tables)
    {
        if (!tables.TryGetValue("run/raw_files", out var frame))
            return [];
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < frame.RowCount; i++)
            result[frame.Strings("path")[i] ?? ""] = frame.Strings("sha256")[i];
        return result;
    }

    private static Frame Coverage(IReadOnlyDictionary<string, Frame> previous, IReadOnlyDictionary<string, Frame> current)
    {
        var rows = new List<(string Dimension, string Value, string Status)>();
        var (oldCities, oldYears) = Panel(previous);
        var (newCities, newYears) = Panel(current);
        rows.AddRange(newCities.Except(oldCities).Order(StringComparer.Ordinal).Select(c => ("city", c, "added")));
        rows.AddRange(oldCities.Except(newCities).Order(StringComparer.Ordinal).Select(c => ("city", c, "removed")));
        rows.AddRange(newYears.Except(oldYears).Order().Select(y => ("year", y.ToString(CultureInfo.InvariantCulture), "added")));
        rows.AddRange(oldYears.Except(newYears).Order().Select(y => ("year", y.ToString(CultureInfo.InvariantCulture), "removed")));
        return new Frame(
            new StringColumn("dimension", [.. rows.Select(r => (string?)r.Dimension)]),
            new StringColumn("value", [.. rows.Select(r => (string?)r.Value)]),
            new StringColumn("status", [.. rows.Select(r => (string?)r.Status)]));
    }

    /// <summary>Cities and years of the analysis panel (clean/panel, else ingest/panel); empty when neither exists.</summary>
    public static (HashSet<string> Cities, HashSet<long> Years) Panel(IReadOnlyDictionary<string, Frame> tables)
    {
        var frame = tables.GetValueOrDefault("clean/panel") ?? tables.GetValueOrDefault("ingest/panel");
        if (frame is null || !frame.Has("city_code") || !frame.Has("year"))
            return ([], []);
        return ([.. frame.Strings("city_code").Where(c => c is not null).Select(c => c!)], [.. frame.Longs("year")]);
    }

    private static Frame Weights(IReadOnlyDictionary<string, Frame> previous, IReadOnlyDictionary<string, Frame> current)
    {
        var before = WeightsOf(previous);
        var after = WeightsOf(current);
        var rows = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal).Select(k =>
        {
            var old = before.TryGetValue(k, out var o) ? o.Weight : double.NaN;
            var now = after.TryGetValue(k, out var n) ? n.Weight : double.NaN;
            var dimension = after.TryGetValue(k, out var a) ? a.Dimension : before[k].Dimension;
            return (Indicator: k, Dimension: dimension, Old: old, New: now, Change: now - old);
        }).ToList();
        return new Frame(
            new StringColumn("indicator", [.. rows.Select(r => (string?)r.Indicator)]),
            new StringColumn("dimension", [.. rows.Select(r => r.Dimension)]),
            new DoubleColumn("old", [.. rows.Select(r => r.Old)]),
            new DoubleColumn("new", [.. rows.Select(r => r.New)]),
            new DoubleColumn("change", [.. rows.Select(r => r.Change)]));
    }

    private static Dictionary<string, (double Weight, string? Dimension)> WeightsOf(IReadOnlyDictionary<string, Frame> tables)
    {
        var result = new Dictionary<string, (double, string?)>(StringComparer.Ordinal);
        if (!tables.TryGetValue("index/weights", out var frame) || !frame.Has("indicator") || !frame.Has("weight"))
            return result;
        for (var i = 0; i < frame.RowCount; i++)
            result[frame.Strings("indicator")[i] ?? ""] = (frame.Doubles("weight")[i], frame.Has("dimension") ? frame.Strings("dimension")[i] : null);
        return result;
    }

    private static Frame Estimates(IReadOnlyDictionary<string, Frame> previous, IReadOnlyDictionary<string, Frame> current, ReportOptions options)
    {
        var rows = new List<EstimateChange>();
        var datasets = previous.Keys.Intersect(current.Keys)
            .Where(k => EstimateStages.Any(s => k.StartsWith(s + "/", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        foreach (var dataset in datasets)
        {
            var before = Rows(previous[dataset]);
            var after = Rows(current[dataset]);
            if (before is null || after is null)
                continue;
            foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
            {
                var old = before.GetValueOrDefault(key);
                var now = after.GetValueOrDefault(key);
                rows.Add(Change(dataset, key, old, now, options));
            }
        }
        return new Frame(
            new StringColumn("dataset", [.. rows.Select(r => (string?)r.Dataset)]),
            new StringColumn("key", [.. rows.Select(r => (string?)r.Key)]),
            new DoubleColumn("old", [.. rows.Select(r => r.Old)]),
            new DoubleColumn("new", [.. rows.Select(r => r.New)]),
            new DoubleColumn("old_se", [.. rows.Select(r => r.OldSe)]),
            new DoubleColumn("new_se", [.. rows.Select(r => r.NewSe)]),
            new DoubleColumn("change_in_se", [.. rows.Select(r => r.ChangeInSe)]),
            new DoubleColumn("old_p", [.. rows.Select(r => r.OldP)]),
            new DoubleColumn("new_p", [.. rows.Select(r => r.NewP)]),
            new StringColumn("flag", [.. rows.Select(r => (string?)r.Flag)]));
    }

    private sealed record EstimateRow(double Estimate, double Se, double P);

    private sealed record EstimateChange(string Dataset, string Key, double Old, double New, double OldSe, double NewSe,
        double ChangeInSe, double OldP, double NewP, string Flag);

    private static Dictionary<string, EstimateRow>? Rows(Frame frame)
    {
        // Per-draw tables (placebo, permutation) hold a distribution: draw i of one run has no counterpart in the other.
        if (EstimateColumns.Find(frame) is not var (estimate, se) || frame.Has("draw"))
            return null;
        var keys = EstimateColumns.KeyColumns(frame);
        var rows = new Dictionary<string, EstimateRow>(StringComparer.Ordinal);
        var keyTerm = frame.Has(EstimateColumns.KeyTermColumn) ? frame.Bools(EstimateColumns.KeyTermColumn) : null;
        for (var i = 0; i < frame.RowCount; i++)
        {
            if (keyTerm is { } k && !k[i])
                continue;
            // A table whose rows repeat a key (e.g. per-draw tables without a draw column) has no key estimates.
            if (!rows.TryAdd(EstimateColumns.RowKey(frame, keys, i),
                    new EstimateRow(frame.Doubles(estimate)[i], frame.Doubles(se)[i], EstimateColumns.PValue(frame, estimate, se, i))))
                return null;
        }
        return rows;
    }

    private static EstimateChange Change(string dataset, string key, EstimateRow? old, EstimateRow? now, ReportOptions options)
    {
        if (old is null || now is null)
        {
            var row = old ?? now!;
            return new EstimateChange(dataset, key, old?.Estimate ?? double.NaN, now?.Estimate ?? double.NaN,
                old?.Se ?? double.NaN, now?.Se ?? double.NaN, double.NaN, old?.P ?? double.NaN, now?.P ?? double.NaN,
                old is null ? "added" : "removed");
        }
        var inSe = old.Se > 0 ? (now.Estimate - old.Estimate) / old.Se : double.NaN;
        var flags = new List<string>();
        if (Math.Abs(inSe) > options.DiffThresholdSe)
            flags.Add(string.Create(CultureInfo.InvariantCulture, $"moved {Math.Abs(inSe):F2} SE (> {options.DiffThresholdSe:G3})"));
        if (Math.Sign(old.Estimate) * Math.Sign(now.Estimate) < 0)
            flags.Add("sign changed");
        var wasSignificant = old.P < options.SignificanceLevel;
        var isSignificant = now.P < options.SignificanceLevel;
        if (!double.IsNaN(old.P) && !double.IsNaN(now.P) && wasSignificant != isSignificant)
            flags.Add(string.Create(CultureInfo.InvariantCulture,
                $"{(isSignificant ? "became" : "no longer")} significant at {options.SignificanceLevel:G3}"));
        return new EstimateChange(dataset, key, old.Estimate, now.Estimate, old.Se, now.Se, inSe, old.P, now.P, string.Join("; ", flags));
    }
}
