namespace NQPF.Stages;

/// <summary>
/// The one record → frame mapper: a column of a frame from a list of result records and the record's field. A stage's
/// frames file lists its table's columns in order with these, e.g.
/// <c>new Frame(Text("treatment", rows, r =&gt; r.Treatment), Double("estimate", rows, r =&gt; r.Estimate))</c>.
/// Missing values follow <see cref="Frame"/>: NaN in a double column, null in a text column.
/// </summary>
internal static class RecordColumns
{
    public static StringColumn Text<T>(string name, IReadOnlyList<T> rows, Func<T, string?> field) => new(name, [.. rows.Select(field)]);

    public static DoubleColumn Double<T>(string name, IReadOnlyList<T> rows, Func<T, double> field) => new(name, [.. rows.Select(field)]);

    public static LongColumn Long<T>(string name, IReadOnlyList<T> rows, Func<T, long> field) => new(name, [.. rows.Select(field)]);

    public static BoolColumn Bool<T>(string name, IReadOnlyList<T> rows, Func<T, bool> field) => new(name, [.. rows.Select(field)]);
}
