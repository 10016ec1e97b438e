namespace NQPF.Stages.Report;

/// <summary>
/// A column a report table reads, with the column type it must have (<see cref="StringColumn"/>, <see cref="DoubleColumn"/>, …).</summary>
internal sealed record ColumnNeed(string Name, Type Type)
{
    public override string ToString() => Name + " (" + Type.Name.Replace("Column", "", StringComparison.Ordinal).ToLowerInvariant() + ")";
}

/// <summary>
/// A dataset a report table or figure reads: its key ("stage/name") and the typed columns it needs. Declared once in
/// <see cref="ReportDatasets"/>, so the report never guesses names; a dataset that is present but lacks a declared
/// column, or has it with another type, is a contract break between stages and fails the report with a message
/// naming the dataset, the columns and the table that needed them.
/// </summary>
internal sealed record DatasetNeed(string Key, IReadOnlyList<ColumnNeed> Columns)
{
    public string Stage => Key[..Key.IndexOf('/', StringComparison.Ordinal)];
}

/// <summary>Raised when an upstream dataset lacks a column the report declared it needs.</summary>
public sealed class ReportInputException(string message) : Exception(message);

/// <summary>
/// The run's tables seen through the report's declarations: <see cref="Get"/> returns a declared dataset after checking
/// its columns — holding only the declared columns, so a table cannot read an undeclared one — or null when its stage
/// has not produced it in this run (a section then says what it waits for).
/// </summary>
internal sealed class DeclaredInputs(IReadOnlyDictionary<string, Frame> tables)
{
    public IReadOnlyDictionary<string, Frame> All => tables;

    public Frame? Get(DatasetNeed need, string usedBy)
    {
        if (!tables.TryGetValue(need.Key, out var frame))
            return null;
        var missing = need.Columns.Where(c => !frame.Has(c.Name) || frame[c.Name].GetType() != c.Type).ToList();
        if (missing.Count > 0)
        {
            throw new ReportInputException(
                $"Report: dataset {need.Key} lacks column(s) {string.Join(", ", missing)}, which {usedBy} needs " +
                $"(it has: {string.Join(", ", frame.Columns.Select(c => new ColumnNeed(c.Name, c.GetType())))}). The {need.Stage} stage's " +
                "output and the report's declarations (ReportDatasets) disagree.");
        }
        return new Frame(need.Columns.Select(c => frame[c.Name]));
    }

    /// <summary>Every declared dataset of <paramref name="needs"/>, or null with the keys that are absent.</summary>
    public (IReadOnlyList<Frame>? Frames, IReadOnlyList<string> Absent) GetAll(IReadOnlyList<DatasetNeed> needs, string usedBy)
    {
        var frames = needs.Select(n => Get(n, usedBy)).ToList();
        var absent = needs.Where((_, i) => frames[i] is null).Select(n => n.Key).ToList();
        return absent.Count > 0 ? (null, absent) : (frames.Select(f => f!).ToList(), absent);
    }
}
