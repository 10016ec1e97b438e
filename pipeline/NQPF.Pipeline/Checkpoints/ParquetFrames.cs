using NQPF.Stages;
using Parquet;
using Parquet.Schema;

namespace NQPF.Pipeline.Checkpoints;

/// <summary>
/// <see cref="Frame"/> ↔ Parquet through Parquet.Net's low-level column API. Column types map one to one:
/// double (NaN kept as NaN), int64, nullable UTF-8 string, boolean; a frame is one row group. Reading also accepts
/// int32/float and nullable numeric columns written by other tools (null → NaN for doubles; a null integer is an error).
/// Snappy compression: fast, and the same frame always gives the same bytes.
/// </summary>
internal static class ParquetFrames
{
    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Snappy };

    public static async Task<byte[]> ToBytesAsync(Frame frame, CancellationToken ct)
    {
        if (frame.Columns.Count == 0)
            throw new ArgumentException("A frame without columns cannot be written as Parquet.", nameof(frame));
        var fields = frame.Columns.Select(ToField).ToArray();
        using var buffer = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), buffer, Options, cancellationToken: ct))
        {
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < fields.Length; i++)
            {
                var field = fields[i];
                switch (frame.Columns[i])
                {
                    case DoubleColumn d: await group.WriteAsync<double>(field, d.Values, cancellationToken: ct); break;
                    case LongColumn l: await group.WriteAsync<long>(field, l.Values, cancellationToken: ct); break;
                    case BoolColumn b: await group.WriteAsync<bool>(field, b.Values, cancellationToken: ct); break;
                    case StringColumn s: await group.WriteAsync(field, s.Values!); break;
                    default: throw new NotSupportedException($"Column type {frame.Columns[i].GetType().Name} has no Parquet mapping.");
                }
            }
            group.CompleteValidate();
        }
        return buffer.ToArray();
    }

    private static DataField ToField(Column column) => column switch
    {
        DoubleColumn => new DataField(column.Name, typeof(double), isNullable: false),
        LongColumn => new DataField(column.Name, typeof(long), isNullable: false),
        BoolColumn => new DataField(column.Name, typeof(bool), isNullable: false),
        StringColumn => new DataField(column.Name, typeof(string), isNullable: true),
        _ => throw new NotSupportedException($"Column type {column.GetType().Name} has no Parquet mapping."),
    };

    /// <summary>"name:type" pairs, '?' marking nullable, as recorded in the ledger.</summary>
    public static string Describe(Frame frame) => string.Join(",", frame.Columns.Select(c => c.Name + ":" + c switch
    {
        DoubleColumn => "double",
        LongColumn => "int64",
        BoolColumn => "bool",
        StringColumn => "string?",
        _ => c.GetType().Name,
    }));

    /// <param name="source">Names the file in error messages.</param>
    /// <param name="columns">Decode only these (every column when null or when one of them is not in the file).</param>
    public static async Task<Frame> FromBytesAsync(byte[] bytes, string source, CancellationToken ct, IReadOnlyCollection<string>? columns = null)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return await FromStreamAsync(stream, source, columns, ct);
    }

    /// <summary>
    /// Reads a Parquet file from disk without holding its bytes, decoding only <paramref name="columns"/> (every column
    /// when null or when one of them is not in the file, so a "no such column" message can list them all).
    /// </summary>
    public static async Task<Frame> FromFileAsync(string path, string source, IReadOnlyCollection<string>? columns, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        return await FromStreamAsync(stream, source, columns, ct);
    }

    private static async Task<Frame> FromStreamAsync(Stream stream, string source, IReadOnlyCollection<string>? columns, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, Options, cancellationToken: ct);
        var fields = reader.Schema.GetDataFields();
        if (columns is not null && columns.All(c => fields.Any(f => f.Name == c)))
            fields = fields.Where(f => columns.Contains(f.Name)).ToArray();
        var parts = fields.Select(_ => new List<Array>()).ToArray();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            for (var i = 0; i < fields.Length; i++)
                parts[i].Add(await ReadColumnAsync(group, fields[i], rows, source, ct));
        }
        return new Frame(fields.Select((f, i) => ToColumn(f, parts[i], source)));
    }

    private static async Task<Array> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, string source, CancellationToken ct)
    {
        var type = field.ClrType;
        if (IsText(type))
        {
            var values = new string?[rows];
            await group.ReadAsync(field, values.AsMemory()!, cancellationToken: ct);
            return Deduplicated(values);
        }
        if (!field.IsNullable)
        {
            if (type == typeof(double)) return await ReadAsync<double>(group, field, rows, ct);
            if (type == typeof(long)) return await ReadAsync<long>(group, field, rows, ct);
            if (type == typeof(bool)) return await ReadAsync<bool>(group, field, rows, ct);
            if (type == typeof(int)) return Array.ConvertAll(await ReadAsync<int>(group, field, rows, ct), v => (long)v);
            if (type == typeof(float)) return Array.ConvertAll(await ReadAsync<float>(group, field, rows, ct), v => (double)v);
        }
        else
        {
            if (type == typeof(double)) return Array.ConvertAll(await ReadNullableAsync<double>(group, field, rows, ct), v => v ?? double.NaN);
            if (type == typeof(float)) return Array.ConvertAll(await ReadNullableAsync<float>(group, field, rows, ct), v => v ?? double.NaN);
            if (type == typeof(long)) return NoNulls(await ReadNullableAsync<long>(group, field, rows, ct), field, source);
            if (type == typeof(int)) return NoNulls(Array.ConvertAll(await ReadNullableAsync<int>(group, field, rows, ct), v => (long?)v), field, source);
            if (type == typeof(bool)) return NoNulls(await ReadNullableAsync<bool>(group, field, rows, ct), field, source);
        }
        throw new DataValidationException($"{source}: column '{field.Name}' has Parquet type {type.Name}{(field.IsNullable ? "?" : "")}, which frames do not support.");
    }

    /// <summary>
    /// Equal strings of a column made one instance: text columns of checkpoints repeat few values (city codes, field
    /// and file names) over many rows, and a string per cell made the ingest panel of a 27,500-unit roster (11.5M rows)
    /// several GB in every stage that reads it.
    /// </summary>
    private static string?[] Deduplicated(string?[] values)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } v) continue;
            if (seen.TryGetValue(v, out var first)) values[i] = first;
            else seen[v] = v;
        }
        return values;
    }

    private static async Task<T[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        where T : struct
    {
        var values = new T[rows];
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: ct);
        return values;
    }

    private static async Task<T?[]> ReadNullableAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: ct);
        return values;
    }

    private static T[] NoNulls<T>(T?[] values, DataField field, string source) where T : struct =>
        Array.ConvertAll(values, v => v ?? throw new DataValidationException(
            $"{source}: column '{field.Name}' has a null, but integer and boolean frame columns cannot hold missing values."));

    private static Column ToColumn(DataField field, List<Array> parts, string source)
    {
        var first = parts.Count > 0 ? parts[0] : null;
        return first switch
        {
            double[] => new DoubleColumn(field.Name, Concat<double>(parts)),
            long[] => new LongColumn(field.Name, Concat<long>(parts)),
            bool[] => new BoolColumn(field.Name, Concat<bool>(parts)),
            string?[] => new StringColumn(field.Name, Concat<string?>(parts)),
            null => EmptyColumn(field, source),
            _ => throw new DataValidationException($"{source}: column '{field.Name}' could not be mapped."),
        };
    }

    private static Column EmptyColumn(DataField field, string source) => field.ClrType switch
    {
        var t when t == typeof(double) || t == typeof(float) => new DoubleColumn(field.Name, []),
        var t when t == typeof(long) || t == typeof(int) => new LongColumn(field.Name, []),
        var t when t == typeof(bool) => new BoolColumn(field.Name, []),
        var t when IsText(t) => new StringColumn(field.Name, []),
        _ => throw new DataValidationException($"{source}: column '{field.Name}' has unsupported type {field.ClrType.Name}."),
    };

    // Parquet.Net 6 reports UTF-8 columns as ReadOnlyMemory<char> unless told otherwise; both read as strings.
    private static bool IsText(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    private static T[] Concat<T>(List<Array> parts) =>
        parts.Count == 1 ? (T[])parts[0] : parts.SelectMany(p => (T[])p).ToArray();
}
