using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Report;

/// <summary>One row of config/truth/att_summary.csv: the true post-treatment ATT of a definition in a group.</summary>
internal sealed record TruthRow(double AttIndex, double AttPatents, double AttEmploymentDensity);

/// <summary>
/// The planted truth of the simulated data (config/truth/att_summary.csv, written by <c>simulate</c>): true ATTs by
/// treatment definition (bb, cl, dual, single, cluster_first, …) and group ("all", "central=1", …). Absent on real
/// data, where the scorecard has no truth column.
/// </summary>
internal sealed class TruthSummary(IReadOnlyDictionary<(string Definition, string Group), TruthRow> rows)
{
    public const string File = "truth/att_summary.csv";

    public TruthRow? this[string definition, string group = "all"] => rows.GetValueOrDefault((definition, group));

    /// <summary>Parses the CSV; a missing column or an unparsable number fails naming the file, row and column.</summary>
    public static TruthSummary Parse(Sheet sheet)
    {
        var records = SheetTable.Records(sheet, "config/" + File, "definition", "group", "att_index", "att_patents_per_10k", "att_employment_density");
        var rows = new Dictionary<(string, string), TruthRow>();
        for (var r = 0; r < records.Count; r++)
        {
            var record = records[r];
            rows[(record["definition"], record["group"])] = new TruthRow(
                Number(record, "att_index", r), Number(record, "att_patents_per_10k", r), Number(record, "att_employment_density", r));
        }
        return new TruthSummary(rows);
    }

    private static double Number(IReadOnlyDictionary<string, string> record, string column, int row) =>
        double.TryParse(record[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new DataValidationException($"config/{File}, row {row + 2}, column {column}: '{record[column]}' is not a number.");
}
