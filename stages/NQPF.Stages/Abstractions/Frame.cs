namespace NQPF.Stages;

/// <summary>
/// An immutable columnar table: the unit of exchange between stages. The runner persists every frame a stage
/// returns as one Parquet file and hands frames back to later stages, so a stage never sees a file format.
/// Missing values: NaN in <see cref="DoubleColumn"/>, null in <see cref="StringColumn"/>; integer and boolean
/// columns have no missing values (encode "none" explicitly, e.g. cohort 0 = never treated).
/// </summary>
public sealed class Frame
{
    private readonly Dictionary<string, Column> _byName;

    public Frame(IEnumerable<Column> columns)
    {
        Columns = columns.ToArray();
        _byName = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var c in Columns)
        {
            if (!_byName.TryAdd(c.Name, c))
                throw new ArgumentException($"Frame has two columns named '{c.Name}'.", nameof(columns));
        }
        RowCount = Columns.Count == 0 ? 0 : Columns[0].Length;
        foreach (var c in Columns)
        {
            if (c.Length != RowCount)
                throw new ArgumentException(
                    $"Column '{c.Name}' has {c.Length} rows but column '{Columns[0].Name}' has {RowCount}.", nameof(columns));
        }
    }

    public Frame(params Column[] columns) : this((IEnumerable<Column>)columns) { }

    public IReadOnlyList<Column> Columns { get; }

    public int RowCount { get; }

    public bool Has(string name) => _byName.ContainsKey(name);

    public Column this[string name] =>
        _byName.TryGetValue(name, out var c) ? c
            : throw new KeyNotFoundException($"Frame has no column '{name}' (columns: {string.Join(", ", _byName.Keys)}).");

    public double[] Doubles(string name) => As<DoubleColumn>(name).Values;

    public long[] Longs(string name) => As<LongColumn>(name).Values;

    public string?[] Strings(string name) => As<StringColumn>(name).Values;

    public bool[] Bools(string name) => As<BoolColumn>(name).Values;

    private T As<T>(string name) where T : Column =>
        this[name] as T ?? throw new InvalidCastException(
            $"Column '{name}' is {this[name].GetType().Name}, not {typeof(T).Name}.");
}

/// <summary>One named column of a <see cref="Frame"/>. The arrays are owned by the column: do not mutate them.</summary>
public abstract class Column
{
    protected Column(string name) => Name = name;

    public string Name { get; }

    public abstract int Length { get; }
}

public sealed class DoubleColumn(string name, double[] values) : Column(name)
{
    public double[] Values { get; } = values;
    public override int Length => Values.Length;
}

public sealed class LongColumn(string name, long[] values) : Column(name)
{
    public long[] Values { get; } = values;
    public override int Length => Values.Length;
}

public sealed class StringColumn(string name, string?[] values) : Column(name)
{
    public string?[] Values { get; } = values;
    public override int Length => Values.Length;
}

public sealed class BoolColumn(string name, bool[] values) : Column(name)
{
    public bool[] Values { get; } = values;
    public override int Length => Values.Length;
}
