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
        var unitValues = Keys(frame, spec.Unit, mask);
        var time = FrameRegression.Numeric(frame, spec.Time);
        for (var i = 0; i < n; i++) mask[i] &= double.IsFinite(time[i]);
        foreach (var name in spec.FixedEffects.Append(spec.Cluster)) _ = Keys(frame, name, mask);

        var units = unitValues.Distinct().Order(UnitOrder.Instance).ToArray();
        var codeOf = units.Select((u, k) => (u, k)).ToDictionary(p => p.u, p => p.k);
        var unitOfRow = unitValues.Select(u => codeOf[u]).ToArray();
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
        var cluster = FrameRegression.ToFactor(frame, spec.Cluster, mask);
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

    /// <summary>A key column as text (numbers in invariant "R" format); rows where it is missing are masked out.</summary>
    private static string[] Keys(Frame frame, string name, bool[] mask)
    {
        if (!frame.Has(name))
            throw new DataValidationException($"Column '{name}' is not in the data (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).");
        var keys = new string[frame.RowCount];
        for (var i = 0; i < keys.Length; i++)
        {
            string? k = frame[name] switch
            {
                StringColumn s => s.Values[i],
                DoubleColumn d => double.IsFinite(d.Values[i]) ? d.Values[i].ToString("R", CultureInfo.InvariantCulture) : null,
                LongColumn l => l.Values[i].ToString(CultureInfo.InvariantCulture),
                BoolColumn b => b.Values[i] ? "1" : "0",
                _ => null,
            };
            if (k is null) mask[i] = false;
            keys[i] = k ?? "";
        }
        return keys;
    }

    /// <summary>Numeric order when both keys parse as numbers, else ordinal.</summary>
    private sealed class UnitOrder : IComparer<string>
    {
        public static UnitOrder Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            if (double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                && double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
                return a.CompareTo(b);
            return string.CompareOrdinal(x, y);
        }
    }
}
