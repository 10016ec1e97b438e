namespace NQPF.Stages.Report;

/// <summary>
/// How the report recognises an estimate table among upstream frames, whatever stage wrote it: an estimate column
/// (estimate, coef, coefficient, att) and a standard-error column (se, std_error, std_err), optionally a p column
/// (p, p_value, pvalue). Rows are identified by their key columns: text columns other than notes (recipes, settings,
/// inference text), and integer columns other than counts and model dimensions (n, k, t_df, …), which change when a
/// year is added while the row stays the same estimate.
/// </summary>
internal static class EstimateColumns
{
    public static readonly string[] EstimateNames = ["estimate", "coef", "coefficient", "att"];
    public static readonly string[] SeNames = ["se", "std_error", "std_err"];
    public static readonly string[] PNames = ["p", "p_value", "pvalue"];
    /// <summary>Bool column of regression tables: true for the policy terms a published table shows, false for controls.</summary>
    public const string KeyTermColumn = "key_term";

    public static readonly string[] NoteNames =
        ["recipe", "note", "notes", "se_recipe", "vcov", "status", "warning", "settings", "inference", "drops"];

    private static readonly HashSet<string> CountNames = new(StringComparer.Ordinal)
    {
        "n", "n_obs", "nobs", "clusters", "draws", "failed", "as_extreme", "treated", "iterations", "n_treated",
        "n_control", "units", "obs", "dropped", "n_units", "n_groups", "k", "t_df", "df", "df1", "df2", "df_resid",
        "observations", "units_dropped", "valid_draws", "boot_draws", "boot_failed", "n_1", "n_0",
    };

    public static string? First(Frame frame, string[] names) => names.FirstOrDefault(frame.Has);

    /// <summary>The estimate and SE column names when <paramref name="frame"/> is an estimate table, else null.</summary>
    public static (string Estimate, string Se)? Find(Frame frame)
    {
        var estimate = First(frame, EstimateNames);
        var se = First(frame, SeNames);
        return estimate is not null && se is not null && frame[estimate] is DoubleColumn && frame[se] is DoubleColumn
            ? (estimate, se) : null;
    }

    /// <summary>
    /// p-value of a row: the frame's p column, or else the two-sided normal p of estimate/se, 2·(1 − Φ(|t|)), a
    /// large-sample approximation; NaN when the SE is zero or missing.
    /// </summary>
    public static double PValue(Frame frame, string estimate, string se, int row)
    {
        var p = First(frame, PNames);
        if (p is not null && frame[p] is DoubleColumn pc)
            return pc.Values[row];
        var t = frame.Doubles(estimate)[row] / frame.Doubles(se)[row];
        return double.IsFinite(t) ? 2 * NormalUpperTail(Math.Abs(t)) : double.NaN;
    }

    /// <summary>
    /// 1 − Φ(z) through erfc (Abramowitz–Stegun 7.1.26, absolute error below 1.5e-7); checked against R
    /// <c>pnorm(1.96, lower.tail = FALSE)</c> = 0.0249979 in the tests.
    /// </summary>
    public static double NormalUpperTail(double z)
    {
        var x = z / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * Math.Abs(x));
        var erfc = t * Math.Exp(-x * x) * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return x >= 0 ? erfc / 2 : 1 - erfc / 2;
    }

    /// <summary>Columns that identify a row: text columns other than notes, integer columns other than counts.</summary>
    public static IReadOnlyList<string> KeyColumns(Frame frame) =>
        [.. frame.Columns.Where(c => c switch
        {
            StringColumn => !NoteNames.Contains(c.Name),
            LongColumn => !CountNames.Contains(c.Name),
            BoolColumn => c.Name != KeyTermColumn,
            _ => false,
        }).Select(c => c.Name)];

    /// <summary>"name=value; …" over the key columns of a row.</summary>
    public static string RowKey(Frame frame, IReadOnlyList<string> keys, int row) =>
        string.Join("; ", keys.Select(k => k + "=" + frame[k] switch
        {
            StringColumn s => s.Values[row] ?? "",
            LongColumn l => l.Values[row].ToString(System.Globalization.CultureInfo.InvariantCulture),
            BoolColumn b => b.Values[row] ? "1" : "0",
            _ => "",
        }));
}
