using NQPF.Stages.Common;
using NQPF.Econometrics;
using NQPF.Econometrics.WildBootstrap;

namespace NQPF.Stages.Estimate;

/// <summary>
/// One regression of a table, named by columns: y on X with FE absorbed, and the vcov to report.
/// <paramref name="Required"/> are regressors that must be estimable (by default the first one, the treatment).
/// <paramref name="Weights"/> names a column of observation weights (weighted least squares; 0 or missing leaves the row out).
/// </summary>
internal sealed record ModelSpec(
    string Outcome,
    IReadOnlyList<string> Regressors,
    IReadOnlyList<string> FixedEffects,
    IReadOnlyList<string> Clusters,
    VcovKind Vcov = VcovKind.Cluster,
    SmallSample Ssc = SmallSample.Default,
    IReadOnlyList<string>? Required = null,
    string? Weights = null);

/// <summary>Runs a <see cref="ModelSpec"/> on a <see cref="Frame"/> through the econometrics library.</summary>
internal static class FrameRegression
{
    /// <summary>
    /// Fits and summarises. Rows with a missing outcome, regressor, FE or cluster value are left out (counted in the
    /// fit); <paramref name="include"/> optionally restricts the sample further (e.g. a subgroup).
    /// Unknown columns → <see cref="DataValidationException"/> naming the column and the frame's columns.
    /// </summary>
    public static RegressionResult Estimate(Frame frame, ModelSpec spec, bool[]? include = null, FitOptions? options = null)
    {
        var n = frame.RowCount;
        var mask = include is null ? Enumerable.Repeat(true, n).ToArray() : (bool[])include.Clone();
        if (mask.Length != n) throw new ArgumentException("Include mask length differs from the frame's row count.", nameof(include));

        var y = Numeric(frame, spec.Outcome);
        var x = spec.Regressors.Select(r => new NamedColumn(r, Numeric(frame, r))).ToArray();
        foreach (var name in spec.FixedEffects.Concat(spec.Clusters)) MaskMissing(frame, name, mask);
        var fe = spec.FixedEffects.Select(f => ToFactor(frame, f, mask)).ToArray();
        var clusters = spec.Clusters.Select(c => SameFactor(fe, c) ?? ToFactor(frame, c, mask)).ToArray();

        var required = spec.Required ?? (spec.Regressors.Count > 0 ? [spec.Regressors[0]] : []);
        var weights = spec.Weights is null ? null : Numeric(frame, spec.Weights);
        var input = new RegressionInput(spec.Outcome, y, x, fe, mask, weights) { WeightsName = spec.Weights ?? "weights" };
        var fit = Regression.Fit(input, (options ?? FitOptions.Default) with { RequiredTerms = required });
        var vcov = spec.Vcov switch
        {
            VcovKind.Cluster when clusters.Length == 0 => throw new ConfigValidationException($"Clustered SEs for '{spec.Outcome}' need a cluster variable."),
            VcovKind.Cluster => new VcovSpec(VcovKind.Cluster, clusters, spec.Ssc),
            _ => new VcovSpec(spec.Vcov, [], spec.Ssc),
        };
        return Inference.Summarise(fit, vcov);
    }

    /// <summary>
    /// The wild cluster bootstrap of the first regressor (the treatment) of a fitted spec, clustered by its one cluster
    /// variable (see <see cref="WildClusterBootstrap"/>). Two-way clustering has no wild bootstrap here: a usage error.
    /// </summary>
    public static WildBootstrapResult WildBootstrap(Frame frame, ModelSpec spec, RegressionResult result, WildBootstrapOptions options)
    {
        if (spec.Clusters.Count != 1)
            throw new ConfigValidationException($"The wild cluster bootstrap needs exactly one cluster variable (given: {string.Join(", ", spec.Clusters)}).");
        var mask = Enumerable.Repeat(true, frame.RowCount).ToArray();
        MaskMissing(frame, spec.Clusters[0], mask);
        return WildClusterBootstrap.Run(result.Fit, spec.Regressors[0], ToFactor(frame, spec.Clusters[0], mask), options);
    }

    /// <summary>A column as doubles: double as is, long and bool converted (bool → 0/1).</summary>
    public static double[] Numeric(Frame frame, string name)
    {
        return Column(frame, name) switch
        {
            DoubleColumn d => d.Values,
            LongColumn l => Array.ConvertAll(l.Values, v => (double)v),
            BoolColumn b => Array.ConvertAll(b.Values, v => v ? 1.0 : 0.0),
            StringColumn s => throw new DataValidationException($"Column '{name}' is text ({MissingValues.FirstNonNumber(s.Values) ?? "no number in it"}); a numeric column is needed for a regressor or outcome."),
            _ => throw new DataValidationException($"Column '{name}' is text; a numeric column is needed for a regressor or outcome."),
        };
    }

    /// <summary>A column as a factor over all rows; rows where <paramref name="mask"/> is false get a placeholder level.</summary>
    public static Factor ToFactor(Frame frame, string name, bool[] mask)
    {
        switch (Column(frame, name))
        {
            case LongColumn l:
                return Factor.FromLongs(name, l.Values);
            case BoolColumn b:
                return Factor.FromLongs(name, Array.ConvertAll(b.Values, v => v ? 1L : 0L));
            case StringColumn s:
                return Factor.FromStrings(name, s.Values.Select((v, i) => mask[i] ? v : "").ToArray());
            case DoubleColumn d when Array.IndexOf(mask, false) < 0:
                return Factor.FromDoubles(name, d.Values);
            case DoubleColumn d:
                var keys = new double[d.Values.Length];
                for (var i = 0; i < keys.Length; i++) keys[i] = mask[i] ? d.Values[i] : 0.0;
                return Factor.FromDoubles(name, keys);
            default:
                throw new DataValidationException($"Column '{name}' cannot be used as a fixed effect or cluster.");
        }
    }

    /// <summary>The factor of <paramref name="name"/> among <paramref name="factors"/> built from the same frame and mask
    /// (clustering by a fixed effect), or null.</summary>
    public static Factor? SameFactor(IEnumerable<Factor> factors, string name) => factors.FirstOrDefault(f => f.Name == name);

    private static void MaskMissing(Frame frame, string name, bool[] mask)
    {
        switch (Column(frame, name))
        {
            case StringColumn s:
                for (var i = 0; i < mask.Length; i++) if (s.Values[i] is null) mask[i] = false;
                break;
            case DoubleColumn d:
                for (var i = 0; i < mask.Length; i++) if (double.IsNaN(d.Values[i])) mask[i] = false;
                break;
        }
    }

    /// <summary>The column <paramref name="name"/>; a missing one is an error listing the frame's columns.</summary>
    public static Column Column(Frame frame, string name) => frame.Has(name) ? frame[name]
        : throw new DataValidationException($"Column '{name}' is not in the data (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).");
}
