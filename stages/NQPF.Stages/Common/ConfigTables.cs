using System.Collections.Concurrent;
using System.Security.Cryptography;
using NQPF.Econometrics.CompositeIndex;
using NQPF.Stages.Clean;
using NQPF.Stages.Cohorts;
using NQPF.Stages.Index;
using NQPF.Stages.Ingest;

namespace NQPF.Stages.Common;

/// <summary>
/// The study's configuration tables (city roster with its changes, policy lists, field catalogue, indicator system,
/// year series, base weights), parsed from the config files a stage declared in its SourceGlobs and handed to the
/// stage typed, so no stage parses a file format. The runner builds one per stage over one
/// <see cref="ConfigTableCache"/> for the whole run: a table is parsed once per run however many stages read it
/// (keyed by the files' SHA-256, so an edited file is parsed again). A declared file that the config folder does not
/// hold is a <see cref="ConfigValidationException"/> naming it.
/// </summary>
internal sealed class ConfigTables(IReadOnlyList<SourceFile> sources, ISheetReader reader, ConfigTableCache? cache = null)
{
    public const string CitiesFile = "cities.csv";
    public const string CityChangesFile = "city_changes.csv";
    public const string FieldsFile = "fields.json";
    public const string CountyUnitsFile = "county_units.csv";

    /// <summary>Source globs of the roster (cities, their name/code changes, and the optional county-level units).</summary>
    public static readonly IReadOnlyList<string> RosterGlobs = ["config:" + CitiesFile, "config:" + CityChangesFile, "config:" + CountyUnitsFile];

    /// <summary>Source glob of the policy lists, one file per policy.</summary>
    public const string PoliciesGlob = "config:policies/*.csv";

    private readonly ConfigTableCache _cache = cache ?? new ConfigTableCache();

    /// <summary>The roster; county_units.csv is optional (without it county-level rows are reported as unknown cities).</summary>
    public CityRoster Roster => sources.Any(s => s.Root == "config" && s.RelativePath == CountyUnitsFile)
        ? Parsed("roster", [CitiesFile, CityChangesFile, CountyUnitsFile], files => CityRoster.Load(Sheet(files[0]), Sheet(files[1]), Sheet(files[2])))
        : Parsed("roster", [CitiesFile, CityChangesFile], files => CityRoster.Load(Sheet(files[0]), Sheet(files[1])));

    /// <summary>Every config/policies/*.csv in path order.</summary>
    public IReadOnlyList<PolicyList> PolicyLists
    {
        get
        {
            var files = sources.Where(s => s.Root == "config" && s.RelativePath.StartsWith("policies/", StringComparison.Ordinal))
                .OrderBy(s => s.RelativePath, StringComparer.Ordinal).ToList();
            return [.. files.Select(f => Parsed("policy", [f.RelativePath], _ =>
                PolicyFileParser.Parse("config/" + f.RelativePath, SheetTable.Records(Sheet(f), f.RelativePath, PolicyFileParser.Columns))))];
        }
    }

    public FieldCatalog Fields => Parsed("fields", [FieldsFile], files => FieldCatalog.FromJson(files[0].Content));

    public IndicatorSystem Indicators(string file) =>
        Parsed("indicators", [file], files => IndicatorSystem.FromJson(files[0].Content, file));

    /// <summary>
    /// The planted truth of simulated data (config/truth/att_summary.csv, written by <c>simulate</c>), or null when the
    /// config folder holds none (real data).
    /// </summary>
    public Report.TruthSummary? Truth =>
        sources.Any(s => s.Root == "config" && s.RelativePath == Report.TruthSummary.File)
            ? Parsed("truth", [Report.TruthSummary.File], files => Report.TruthSummary.Parse(Sheet(files[0])))
            : null;

    /// <summary>A year-level series table (first column "year"): (year, column) → value.</summary>
    public IReadOnlyDictionary<(long Year, string Field), double> YearSeries(string file) =>
        Parsed("year_series", [file], files => Clean.YearSeries.Read(Sheet(files[0]), file));

    /// <summary>Exported index weights of a base run (fixed-base index).</summary>
    public EntropyModel BaseWeights(string file, OutOfBaseRule outOfBase) =>
        Parsed("base_weights:" + outOfBase, [file], files => WeightsFrame.FromJson(files[0].Content, outOfBase, "config/" + file));

    private T Parsed<T>(string kind, IReadOnlyList<string> paths, Func<IReadOnlyList<SourceFile>, T> parse) where T : class
    {
        var files = paths.Select(File).ToList();
        var key = kind + "\n" + string.Join("\n", files.Select(f => f.RelativePath + "\t" + Convert.ToHexString(SHA256.HashData(f.Content))));
        return (T)_cache.GetOrAdd(key, _ => parse(files));
    }

    private SourceFile File(string relativePath) =>
        sources.FirstOrDefault(s => s.Root == "config" && s.RelativePath == relativePath)
        ?? throw new ConfigValidationException($"config/{relativePath} was not found in the config folder.");

    private Sheet Sheet(SourceFile file) => reader.Read(file.RelativePath, file.Content, new ReadLimits()).Sheets[0];
}

/// <summary>Parsed configuration tables of one run, keyed by kind and the files' content hashes.</summary>
internal sealed class ConfigTableCache
{
    private readonly ConcurrentDictionary<string, Lazy<object>> _tables = new(StringComparer.Ordinal);

    public object GetOrAdd(string key, Func<string, object> parse) =>
        _tables.GetOrAdd(key, k => new Lazy<object>(() => parse(k))).Value;
}
