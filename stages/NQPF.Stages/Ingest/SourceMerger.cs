using System.Globalization;

namespace NQPF.Stages.Ingest;

/// <summary>
/// Puts the values of several files into one panel. Several files may supply the same city, year and field (a
/// yearbook and a per-variable export; two editions revising a year): the value of the file with precedence is kept —
/// the manifest's Precedence and order first, then a file with a year in its path (a yearbook edition, csy_2015) over one without (a multi-year export), the more
/// recent year over the older, then the later path in ordinal order. Every overlap is summarised per pair of files
/// on the file kept (source_overlap) and every difference beyond <see cref="IngestOptions.SourceTolerance"/> (relative) is listed
/// (source_disagreement, the first <see cref="MaxListed"/> per pair, then a count). Panel order is the order values
/// were first read, so adding a file never reorders the others.
/// </summary>
internal sealed class SourceMerger(double tolerance, SourceManifest manifest)
{
    public const int MaxListed = 50;

    private readonly Dictionary<(string City, int Year, string Field), int> _index = [];
    private readonly Dictionary<(string Kept, string Other), (int Overlap, int Disagree)> _pairs = [];

    public List<PanelRow> Panel { get; } = [];

    public List<Finding> Findings { get; } = [];

    public void Add(IReadOnlyList<PanelRow> rows)
    {
        foreach (var row in rows)
        {
            var key = (row.CityCode, row.Year, row.Field);
            if (!_index.TryGetValue(key, out var at))
            {
                _index[key] = Panel.Count;
                Panel.Add(row);
                continue;
            }
            var prior = Panel[at];
            var (kept, other) = Precedes(row.SourceFile, prior.SourceFile) ? (row, prior) : (prior, row);
            Panel[at] = kept;
            Compare(kept, other);
        }
    }

    /// <summary>One summary finding per pair of files that overlapped.</summary>
    public void Summarise()
    {
        foreach (var ((kept, other), (overlap, disagree)) in _pairs.OrderBy(p => p.Key.Kept, StringComparer.Ordinal).ThenBy(p => p.Key.Other, StringComparer.Ordinal))
        {
            Findings.Add(new(kept, "", 0, "", "", FindingKind.SourceOverlap, string.Create(CultureInfo.InvariantCulture,
                $"{overlap} value(s) also in {other}; this file takes precedence and its values are kept; {disagree} differ by more than {tolerance:P1}")));
        }
    }

    private void Compare(PanelRow kept, PanelRow other)
    {
        var pair = (kept.SourceFile, other.SourceFile);
        var (overlap, disagree) = _pairs.GetValueOrDefault(pair);
        var differs = Math.Abs(kept.Value - other.Value) > tolerance * Math.Max(Math.Abs(kept.Value), Math.Abs(other.Value));
        _pairs[pair] = (overlap + 1, disagree + (differs ? 1 : 0));
        if (!differs || disagree >= MaxListed)
            return;
        Findings.Add(new(other.SourceFile, other.Sheet, other.Row, other.Column, kept.CityCode, FindingKind.SourceDisagreement,
            string.Create(CultureInfo.InvariantCulture,
                $"{kept.CityCode} {kept.Year} {kept.Field} = {other.Value:R} here but {kept.Value:R} in {kept.SourceFile} (sheet '{kept.Sheet}', row {kept.Row}), which is kept")));
    }

    /// <summary>Whether file <paramref name="a"/> takes precedence over file <paramref name="b"/>: a higher Precedence in
    /// the manifest, then a file listed in it over one not, an earlier entry over a later one; then the dated, more recent
    /// and later path. Ranks are computed once per file.</summary>
    private bool Precedes(string a, string b)
    {
        if (!_ranks.TryGetValue(a, out var ra))
            _ranks[a] = ra = Rank.Of(manifest, a);
        if (!_ranks.TryGetValue(b, out var rb))
            _ranks[b] = rb = Rank.Of(manifest, b);
        return Rank.Compare(ra, rb) > 0;
    }

    private readonly Dictionary<string, Rank> _ranks = new(StringComparer.Ordinal);

    /// <summary>A file's precedence, compared field by field (greater wins).</summary>
    private readonly record struct Rank(int Precedence, int Listed, int Year, string Path)
    {
        public static Rank Of(SourceManifest manifest, string path)
        {
            var m = manifest.Match(path);
            // An earlier manifest entry ranks higher; unlisted files rank below every listed one.
            var listed = m is { } x ? int.MaxValue - x.Order : 0;
            return new Rank(m?.Entry.Precedence ?? 0, listed, YearSource.FromPath(path)?.Year ?? int.MinValue, path);
        }

        public static int Compare(Rank a, Rank b)
        {
            var c = a.Precedence.CompareTo(b.Precedence);
            if (c == 0) c = a.Listed.CompareTo(b.Listed);
            if (c == 0) c = a.Year.CompareTo(b.Year);
            return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
        }
    }
}
