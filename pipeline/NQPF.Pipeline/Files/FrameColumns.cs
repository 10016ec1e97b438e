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
        LongColumn l => Texts(l.Values, _ => false, v => v.ToString(CultureInfo.InvariantCulture)),
        DoubleColumn d => Texts(d.Values, double.IsNaN, v => v.ToString("R", CultureInfo.InvariantCulture)),
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

    /// <summary>
    /// Each value's text, each distinct value formatted once (a 1M-row panel of 50,000 units formats 50,000 strings, and
    /// rows of one unit share one); null where <paramref name="missing"/>. Doubles are told apart by value, as their
    /// round-trip texts are, except 0 and −0, which <see cref="Dictionary{TKey, TValue}"/> takes as one: those are formatted each time.
    /// </summary>
    private static string?[] Texts<T>(T[] values, Func<T, bool> missing, Func<T, string> format) where T : notnull
    {
        var cache = new Dictionary<T, string>();
        var texts = new string?[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (missing(v)) continue;
            if (v is 0.0) texts[i] = format(v);
            else if (cache.TryGetValue(v, out var text)) texts[i] = text;
            else cache.Add(v, texts[i] = format(v));
        }
        return texts;
    }

    private static Column Get(Frame frame, string name, string source) =>
        frame.Has(name) ? frame[name]
            : throw new DataValidationException($"{source}: there is no column '{name}' (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).");
}
