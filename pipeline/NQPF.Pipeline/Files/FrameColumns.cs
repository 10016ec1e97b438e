using System.Globalization;
using NQPF.Stages;
using NQPF.Stages.Estimate;

namespace NQPF.Pipeline.Files;

/// <summary>
/// Key columns of a data table read by <see cref="TableFiles"/> for the generic verbs: units and clusters as text,
/// periods and cohorts as whole numbers. Errors are <see cref="DataValidationException"/>s naming the file, column and row.
/// </summary>
internal static class FrameColumns
{
    /// <summary>A column as text keys (numbers formatted invariantly, integral doubles without a decimal point).</summary>
    public static string?[] Strings(Frame frame, string name, string source) => Get(frame, name, source) switch
    {
        StringColumn s => s.Values,
        LongColumn l => l.Values.Select(v => (string?)v.ToString(CultureInfo.InvariantCulture)).ToArray(),
        DoubleColumn d => d.Values.Select(v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture)).ToArray(),
        BoolColumn b => b.Values.Select(v => (string?)(v ? "1" : "0")).ToArray(),
        var c => throw new DataValidationException($"{source}: column '{name}' has unsupported type {c.GetType().Name}."),
    };

    /// <summary>An integral column as longs; a missing value becomes <paramref name="missing"/> (or is an error when null).</summary>
    public static long[] Longs(Frame frame, string name, string source, long? missing = null)
    {
        if (frame.Has(name) && frame[name] is LongColumn l) return l.Values;
        Get(frame, name, source);
        var values = FrameRegression.Numeric(frame, name);
        var result = new long[values.Length];
        for (int r = 0; r < values.Length; r++)
        {
            double v = values[r];
            if (double.IsNaN(v))
            {
                result[r] = missing ?? throw new DataValidationException($"{source}: column '{name}' is missing at data row {r + 1}.");
                continue;
            }
            if (v != Math.Floor(v) || Math.Abs(v) > 1e15)
                throw new DataValidationException($"{source}: column '{name}' at data row {r + 1} is {v.ToString("R", CultureInfo.InvariantCulture)}, not a whole number.");
            result[r] = (long)v;
        }
        return result;
    }

    private static Column Get(Frame frame, string name, string source) =>
        frame.Has(name) ? frame[name]
            : throw new DataValidationException($"{source}: there is no column '{name}' (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).");
}
