using System.Globalization;
using System.Text;
using System.Text.Json;
using NQPF.Stages;

namespace NQPF.Pipeline.Checkpoints;

/// <summary>
/// A frame as CSV (RFC 4180) or JSON (an array of objects), for people and tools without a Parquet reader.
/// Doubles use the shortest round-trip invariant form; NaN is an empty CSV cell and JSON null.
/// CSV is safe to open in a spreadsheet: a text cell that starts with a formula trigger (= + - @, tab, CR, the
/// Unicode minus or their full-width forms) and is not a number gets a leading apostrophe (OWASP "CSV injection").
/// </summary>
internal static class FrameExport
{
    private static readonly char[] FormulaTriggers = ['=', '+', '-', '@', '\t', '\r', '\u2212', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

    public static string ToCsv(Frame frame)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', frame.Columns.Select(c => Quote(Neutralise(c.Name)))).Append("\r\n");
        for (var row = 0; row < frame.RowCount; row++)
        {
            for (var col = 0; col < frame.Columns.Count; col++)
            {
                if (col > 0)
                    text.Append(',');
                text.Append(frame.Columns[col] switch
                {
                    DoubleColumn d => double.IsNaN(d.Values[row]) ? "" : d.Values[row].ToString("R", CultureInfo.InvariantCulture),
                    LongColumn l => l.Values[row].ToString(CultureInfo.InvariantCulture),
                    BoolColumn b => b.Values[row] ? "true" : "false",
                    StringColumn s => s.Values[row] is { } value ? Quote(Neutralise(value)) : "",
                    var other => throw new NotSupportedException($"Column type {other.GetType().Name} cannot be exported."),
                });
            }
            text.Append("\r\n");
        }
        return text.ToString();
    }

    public static byte[] ToJson(Frame frame)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            for (var row = 0; row < frame.RowCount; row++)
            {
                json.WriteStartObject();
                foreach (var column in frame.Columns)
                {
                    json.WritePropertyName(column.Name);
                    switch (column)
                    {
                        case DoubleColumn d when double.IsFinite(d.Values[row]): json.WriteNumberValue(d.Values[row]); break;
                        case DoubleColumn: json.WriteNullValue(); break;
                        case LongColumn l: json.WriteNumberValue(l.Values[row]); break;
                        case BoolColumn b: json.WriteBooleanValue(b.Values[row]); break;
                        case StringColumn s: json.WriteStringValue(s.Values[row]); break;
                        default: throw new NotSupportedException($"Column type {column.GetType().Name} cannot be exported.");
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>Prefixes an apostrophe to text a spreadsheet would evaluate as a formula; numbers stay as they are.</summary>
    internal static string Neutralise(string value) =>
        value.Length > 0 && FormulaTriggers.Contains(value[0])
        && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "'" + value
            : value;

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '))
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
