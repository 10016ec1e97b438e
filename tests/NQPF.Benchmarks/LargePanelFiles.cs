using System.Globalization;
using System.Text;
using NQPF.Pipeline.Checkpoints;
using NQPF.Stages;

namespace NQPF.Benchmarks;

/// <summary>
/// The 1M-row analysis files of the reading benchmarks: <see cref="SyntheticPanel"/> (50,000 units × 20 years, seed 3,
/// the TWFE benchmark's balanced panel) as CSV (doubles round-trip formatted, about 89 MB) and as Parquet, with columns
/// unit, year (2001–2020), cohort (2011 for every third unit, else 0 = never), y, d (= treat_post), x1, x2, x3.
/// One file serves estimate (y ~ d + x1..x3 | unit + year), did (unit, year, cohort, y) and placebo.
/// </summary>
internal static class LargePanelFiles
{
    public const int Units = 50_000;
    public const int Years = 20;

    public static Frame Frame()
    {
        var panel = new SyntheticPanel(Units, Years, 0, 3);
        var unit = new long[panel.Rows];
        var year = new long[panel.Rows];
        var cohort = new long[panel.Rows];
        for (int i = 0; i < panel.Rows; i++)
        {
            unit[i] = panel.Unit.Codes[i] + 1;
            year[i] = 2001 + panel.Year.Codes[i];
            cohort[i] = panel.Unit.Codes[i] % 3 == 0 ? 2001 + Years / 2 : 0;
        }
        return new Frame(new LongColumn("unit", unit), new LongColumn("year", year), new LongColumn("cohort", cohort),
            new DoubleColumn("y", panel.Y), new DoubleColumn("d", panel.D),
            new DoubleColumn("x1", panel.X[0]), new DoubleColumn("x2", panel.X[1]), new DoubleColumn("x3", panel.X[2]));
    }

    /// <summary>Writes <c>panel_50000x20.csv</c> and <c>.parquet</c> into <paramref name="directory"/> (unless present) and returns the CSV's path.</summary>
    public static string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, "panel_50000x20.csv");
        var parquet = Path.ChangeExtension(csv, ".parquet");
        if (File.Exists(csv) && File.Exists(parquet)) return csv;
        var frame = Frame();
        File.WriteAllBytes(parquet, ParquetFrames.ToBytesAsync(frame, CancellationToken.None).GetAwaiter().GetResult());
        using var writer = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(",", frame.Columns.Select(c => c.Name)) + "\n");
        var line = new StringBuilder();
        for (int r = 0; r < frame.RowCount; r++)
        {
            line.Clear();
            foreach (var column in frame.Columns)
            {
                if (line.Length > 0) line.Append(',');
                line.Append(column switch
                {
                    LongColumn l => l.Values[r].ToString(CultureInfo.InvariantCulture),
                    DoubleColumn d => d.Values[r].ToString("R", CultureInfo.InvariantCulture),
                    _ => throw new NotSupportedException(column.GetType().Name),
                });
            }
            writer.Write(line.Append('\n'));
        }
        return csv;
    }
}
