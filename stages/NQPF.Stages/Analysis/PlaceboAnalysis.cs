using System.Globalization;
using NQPF.Econometrics;
using NQPF.Econometrics.Placebo;
using NQPF.Stages.Estimate;

using NQPF.Stages.Robustness;

namespace NQPF.Stages.Analysis;

/// <summary>A placebo on any panel table, named by columns (the <c>placebo</c> verb).</summary>
internal sealed record PlaceboAnalysisSpec(
    string Outcome,
    IReadOnlyList<string> Controls,
    IReadOnlyList<string> FixedEffects,
    string Cluster,
    string Unit,
    string Time,
    string Cohort,
    PlaceboKind Kind,
    int Draws,
    long Seed);

/// <summary>Explicit placebo draws as read from a file (see <see cref="PlaceboAnalysis.Assignments"/>).</summary>
internal sealed record AssignmentTable(Frame Table, string FileName);

/// <summary>The real estimate (full sample), every draw and the summary, with the SE recipe and the sample size.</summary>
internal sealed record PlaceboAnalysisResult(PlaceboDraw Real, IReadOnlyList<PlaceboDraw> Draws, PlaceboSummary Summary, string Recipe, int N, int Units);

internal static class PlaceboAnalysis
{
    /// <summary>
    /// y = τ·treat_post + Xγ + FE + ε with treat_post = 1[cohort &gt; 0 and time ≥ cohort], clustered SEs; placebo draws
    /// by <see cref="PlaceboStudy"/> (seeded, or exactly the rows of <paramref name="assignments"/>, see
    /// <see cref="Assignments"/>; units in ascending order of the unit column — numeric order when it is numeric). The
    /// cohort column must be constant within a unit (missing = 0, never treated). Rows with a missing outcome,
    /// control, FE, cluster, unit or time value are left out.
    /// </summary>
    public static PlaceboAnalysisResult Run(Frame frame, PlaceboAnalysisSpec spec, AssignmentTable? assignments = null,
        CancellationToken cancellationToken = default)
    {
        var n = frame.RowCount;
        var mask = Enumerable.Repeat(true, n).ToArray();
        var (units, unitOfRow) = UnitCodes(frame, spec.Unit, mask);
        var time = FrameRegression.Numeric(frame, spec.Time);
        for (var i = 0; i < n; i++) mask[i] &= double.IsFinite(time[i]);
        foreach (var name in spec.FixedEffects.Append(spec.Cluster)) MaskMissing(frame, name, mask);

        var cohortValues = FrameRegression.Numeric(frame, spec.Cohort);
        var cohort = new long[units.Length];
        var seen = new bool[units.Length];
        for (var i = 0; i < n; i++)
        {
            if (!mask[i]) continue;
            var c = double.IsFinite(cohortValues[i]) ? (long)cohortValues[i] : 0L;
            var u = unitOfRow[i];
            if (seen[u] && cohort[u] != c)
                throw new DataValidationException($"Column '{spec.Cohort}' is not constant within unit {units[u]} ({cohort[u]} and {c} at row {i + 2}).");
            cohort[u] = c;
            seen[u] = true;
        }
        // Rows left out of the sample still need a year inside the panel's range (their treatment is never used).
        var firstTime = time.Where(double.IsFinite).DefaultIfEmpty(0).Min();
        var design = new PlaceboDesign(unitOfRow, [.. time.Select(t => (long)(double.IsFinite(t) ? t : firstTime))], cohort);

        var input = new RegressionInput(spec.Outcome, FrameRegression.Numeric(frame, spec.Outcome),
            spec.Controls.Select(c => new NamedColumn(c, FrameRegression.Numeric(frame, c))).ToArray(),
            spec.FixedEffects.Select(f => FrameRegression.ToFactor(frame, f, mask)).ToArray(), mask);
        var cluster = FrameRegression.SameFactor(input.FixedEffects, spec.Cluster) ?? FrameRegression.ToFactor(frame, spec.Cluster, mask);
        var full = PlaceboStudy.CreateEngine(input, cluster, design, PlaceboKind.Unit, "treat_post");
        var real = PlaceboStudy.Real(full, design);
        var engine = spec.Kind == PlaceboKind.Unit && assignments is null ? full
            : PlaceboStudy.CreateEngine(input, cluster, design, assignments is null ? spec.Kind : PlaceboKind.Unit, "treat_post");
        var draws = assignments is null
            ? PlaceboStudy.Run(engine, design, spec.Kind, spec.Seed, 0, spec.Draws, cancellationToken: cancellationToken)
            : PlaceboStudy.RunAssignments(engine, design, Assignments(assignments.Table, units.Length, assignments.FileName), cancellationToken: cancellationToken);
        var summary = PlaceboInference.Summarise(real.Estimate, draws.Select(d => d.Estimate).ToArray(), draws.Select(d => d.P).ToArray());
        return new PlaceboAnalysisResult(real, draws, summary, full.Recipe.Describe(), full.N, units.Length);
    }

    /// <summary>
    /// Reads an assignments table (timing_permutations.csv layout): one row per draw, the cohort of unit k in a column
    /// named X&lt;k&gt; (k = 1 … U, in unit order); other columns (draw number, another tool's coefficient) are ignored.
    /// </summary>
    public static IReadOnlyList<long[]> Assignments(Frame table, int units, string fileName)
    {
        var columns = table.Columns
            .Select(c => (Column: c, K: c.Name.Length > 1 && c.Name[0] == 'X' && int.TryParse(c.Name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 0))
            .Where(p => p.K > 0).OrderBy(p => p.K).ToArray();
        if (columns.Length != units || columns.Where((p, i) => p.K != i + 1).Any())
            throw new DataValidationException($"{fileName}: expected cohort columns X1 … X{units} (one per unit of the data), found {columns.Length}.");
        var values = columns.Select(p => FrameRegression.Numeric(table, p.Column.Name)).ToArray();
        var rows = new long[table.RowCount][];
        for (var b = 0; b < table.RowCount; b++)
        {
            rows[b] = new long[units];
            for (var u = 0; u < units; u++)
            {
                var v = values[u][b];
                rows[b][u] = double.IsFinite(v) ? (long)v
                    : throw new DataValidationException($"{fileName}: row {b + 2}, column X{u + 1}: missing cohort.");
            }
        }
        return rows;
    }

    /// <summary>
    /// The distinct unit keys (numbers in invariant "R" format; "" for a missing key, whose rows are masked out) in
    /// ascending <see cref="UnitOrder"/>, and each row's index into them. Keys are gathered by value in order of first
    /// appearance and each is formatted once; the stable sort then sees the sequence it would see on the row texts.
    /// </summary>
    private static (string[] Units, int[] UnitOfRow) UnitCodes(Frame frame, string name, bool[] mask)
    {
        var missingBits = BitConverter.DoubleToInt64Bits(double.NaN);
        var (keys, codes) = FrameRegression.Column(frame, name) switch
        {
            StringColumn s => FirstSeen(mask, i => (s.Values[i] is null, s.Values[i] ?? ""), k => k),
            DoubleColumn d => FirstSeen(mask, i => (!double.IsFinite(d.Values[i]), double.IsFinite(d.Values[i]) ? BitConverter.DoubleToInt64Bits(d.Values[i]) : missingBits),
                k => k == missingBits ? "" : BitConverter.Int64BitsToDouble(k).ToString("R", CultureInfo.InvariantCulture)),
            LongColumn l => FirstSeen(mask, i => (false, l.Values[i]), k => k.ToString(CultureInfo.InvariantCulture)),
            BoolColumn b => FirstSeen(mask, i => (false, b.Values[i] ? "1" : "0"), k => k),
            _ => FirstSeen(mask, _ => (true, ""), k => k),
        };
        var sorted = Enumerable.Range(0, keys.Count).OrderBy(k => keys[k], new UnitOrder()).ToArray();
        var rank = new int[sorted.Length];
        for (var r = 0; r < sorted.Length; r++) rank[sorted[r]] = r;
        for (var i = 0; i < codes.Length; i++) codes[i] = rank[codes[i]];
        return ([.. sorted.Select(k => keys[k])], codes);
    }

    private static (List<string> Keys, int[] Codes) FirstSeen<T>(bool[] mask, Func<int, (bool Missing, T Key)> at, Func<T, string> text)
        where T : notnull
    {
        var index = new Dictionary<T, int>();
        var keys = new List<string>();
        var codes = new int[mask.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            var (missing, key) = at(i);
            if (missing) mask[i] = false;
            if (!index.TryGetValue(key, out var code))
            {
                code = keys.Count;
                index.Add(key, code);
                keys.Add(text(key));
            }
            codes[i] = code;
        }
        return (keys, codes);
    }

    /// <summary>Masks the rows where a key column is missing (null text, or a number that is not finite), as <see cref="UnitCodes"/> does for the unit, without building the keys.</summary>
    private static void MaskMissing(Frame frame, string name, bool[] mask)
    {
        switch (FrameRegression.Column(frame, name))
        {
            case StringColumn s:
                for (var i = 0; i < mask.Length; i++) if (s.Values[i] is null) mask[i] = false;
                break;
            case DoubleColumn d:
                for (var i = 0; i < mask.Length; i++) if (!double.IsFinite(d.Values[i])) mask[i] = false;
                break;
            case LongColumn or BoolColumn:
                break;
            default:
                Array.Clear(mask);
                break;
        }
    }

    /// <summary>Numeric order when both keys parse as numbers, else ordinal; each key parsed once.</summary>
    private sealed class UnitOrder : IComparer<string>
    {
        private readonly Dictionary<string, double?> _numbers = new(StringComparer.Ordinal);

        public int Compare(string? x, string? y)
        {
            if (Number(x) is { } a && Number(y) is { } b)
                return a.CompareTo(b);
            return string.CompareOrdinal(x, y);
        }

        private double? Number(string? key)
        {
            if (key is null) return null;
            if (!_numbers.TryGetValue(key, out var number))
            {
                number = double.TryParse(key, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                _numbers.Add(key, number);
            }
            return number;
        }
    }
}
