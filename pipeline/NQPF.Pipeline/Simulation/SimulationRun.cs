using System.Globalization;
using System.Text;
using nietras.SeparatedValues;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Ingest;
using NQPF.Stages.Report;
using NQPF.Stages.Simulation;

namespace NQPF.Pipeline.Simulation;

/// <summary>Options of the <c>simulate</c> verb.</summary>
/// <param name="TruthDirectory">Where the planted truth goes; null: config/truth beside the output's parent when that
/// parent holds a config folder (the repository), else "&lt;out&gt;-truth".</param>
/// <param name="Scale">Roster size in multiples of the study's in-sample cities (<see cref="ScaledRoster"/>): above 1 the
/// generator draws from a scaled copy of the configuration written to <see cref="ScaledConfigDirectory"/>.</param>
internal sealed record SimulateOptions(string OutDirectory, int Seed, int FirstYear, int LastYear, string ConfigDirectory,
    string? TruthDirectory = null, SimLayout Layout = SimLayout.Official, int Scale = 1)
{
    public const int DefaultSeed = 20250101;

    /// <summary>Where a scaled roster's configuration goes: beside the output, "&lt;out&gt;-config".</summary>
    public string ScaledConfigDirectory => Path.GetFullPath(OutDirectory).TrimEnd(Path.DirectorySeparatorChar) + "-config";
}

/// <summary>How the simulated yearbook values are laid out in files (all layouts of one seed give the same panel):
/// <see cref="Official"/> (the default, the committed data-raw) the official Excel edition tables, <see cref="Classic"/>
/// one file per year in rotating formats and quirks (CSV encodings, unit rows, scope sheets), <see cref="Database"/> per-variable long workbooks.</summary>
internal enum SimLayout
{
    Official,
    Classic,
    Database,
}

/// <summary>What <c>simulate</c> wrote.</summary>
/// <param name="ConfigDirectory">The configuration the files were drawn from (the scaled copy under --scale).</param>
internal sealed record SimulateResult(IReadOnlyList<string> Files, string TruthDirectory, PlantedTruth Truth, string ConfigDirectory);

/// <summary>
/// The <c>simulate</c> verb: generates yearbook files (one per year + a growth-target file) from the roster, census
/// populations and pilot lists in config/, with the planted truth written outside the data folder. Reads
/// config/cities.csv, city_changes.csv, fields.json, simulation/census_population.csv and policies/broadband_china.csv,
/// policies/innovative_clusters.csv (first listed year per city_code).
/// </summary>
internal static class SimulationRun
{
    public static SimulateResult Run(SimulateOptions o)
    {
        if (o.Scale < 1) throw new ConfigValidationException($"simulate: --scale {o.Scale} must be 1 or more.");
        if (o.Scale > 1)
        {
            ScaledRoster.Write(o.ConfigDirectory, o.ScaledConfigDirectory, o.Scale);
            o = o with
            {
                ConfigDirectory = o.ScaledConfigDirectory, Scale = 1,
                TruthDirectory = o.TruthDirectory ?? Path.Combine(o.ScaledConfigDirectory, "truth"),
            };
        }
        var (inputs, catalog) = Inputs(o);
        var panel = YearbookSimulator.Generate(inputs);
        var files = YearbookFiles(panel, catalog, o);
        Directory.CreateDirectory(o.OutDirectory);
        var written = new List<string>();
        foreach (var f in files)
        {
            var path = Path.Combine(o.OutDirectory, f.FileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, SimulationWriter.ToBytes(f));
            written.Add(path);
        }
        // The report shows a "simulated data" banner while this marker is in the raw folder (ReportBuilder.SimulatedMarker).
        File.WriteAllText(Path.Combine(o.OutDirectory, ReportBuilder.SimulatedMarker), SimulatedMarkerText(o));
        var truthDir = o.TruthDirectory ?? DefaultTruthDirectory(o.OutDirectory);
        var truth = TruthCalculator.Compute(panel);
        TruthWriter.Write(truthDir, truth, inputs, panel);
        return new SimulateResult(written, truthDir, truth, o.ConfigDirectory);
    }

    /// <summary>The files of the raw folder in the chosen layout: the yearbooks and the growth-target file.</summary>
    internal static IReadOnlyList<SimFile> YearbookFiles(SimulatedPanel panel, FieldCatalog catalog, SimulateOptions o)
    {
        var yearbooks = o.Layout switch
        {
            SimLayout.Official => OfficialLayout.Yearbooks(panel, catalog, o.Seed),
            SimLayout.Database => DatabaseLayout.Workbooks(panel, catalog, o.Seed),
            _ => YearbookLayout.Yearbooks(panel, catalog, o.Seed),
        };
        return [.. yearbooks, TargetsFile(panel, o)];
    }

    /// <summary>The generator's inputs read from the config folder, and the field catalog the files are printed with.</summary>
    internal static (SimulationInputs Inputs, FieldCatalog Catalog) Inputs(SimulateOptions o)
    {
        if (o.FirstYear > o.LastYear || o.FirstYear < 2000 || o.LastYear > 2100)
            throw new ConfigValidationException($"simulate: --years {o.FirstYear}-{o.LastYear} is not a valid range.");
        var reader = new SheetReader();
        var limits = new ReadLimits();
        Sheet Table(string rel) => reader.Read(rel, File.ReadAllBytes(ConfigFile(o.ConfigDirectory, rel)), limits).Sheets[0];
        var roster = CityRoster.Load(Table("cities.csv"), Table("city_changes.csv"));
        var catalog = FieldCatalog.FromJson(File.ReadAllBytes(ConfigFile(o.ConfigDirectory, "fields.json")));
        var census = SheetTable.Records(Table("simulation/census_population.csv"), "census_population.csv", "code", "pop_2010", "pop_2020", "urban_2010")
            .ToDictionary(r => r["code"], r => new CensusPopulation(Num(r["pop_2010"]), Num(r["pop_2020"]), Num(r["urban_2010"])),
                StringComparer.Ordinal);
        var bb = FirstYears(Table("policies/broadband_china.csv"), "broadband_china.csv");
        var cl = FirstYears(Table("policies/innovative_clusters.csv"), "innovative_clusters.csv");
        return (new SimulationInputs(roster, census, bb, cl, o.FirstYear, o.LastYear, o.Seed), catalog);
    }

    internal static string SimulatedMarkerText(SimulateOptions o) =>
        "# Simulated data\n\nThe yearbook files in this folder were generated by `nqpf simulate` (seed " +
        o.Seed.ToString(CultureInfo.InvariantCulture) + ", years " + o.FirstYear.ToString(CultureInfo.InvariantCulture) + "-" +
        o.LastYear.ToString(CultureInfo.InvariantCulture) + "): they describe simulated cities, not China.\n" +
        "The report shows a banner while this file is here. Delete it when the folder holds real China City Statistical Yearbook files.\n";

    internal static string DefaultTruthDirectory(string outDirectory)
    {
        var full = Path.GetFullPath(outDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full);
        return parent is not null && Directory.Exists(Path.Combine(parent, "config"))
            ? Path.Combine(parent, "config", "truth")
            : full + "-truth";
    }

    private static string ConfigFile(string configDir, string rel)
    {
        var path = Path.Combine(configDir, rel);
        return File.Exists(path) ? path
            : throw new ConfigValidationException($"simulate: config file '{rel}' not found under {configDir}.");
    }

    private static Dictionary<string, int> FirstYears(Sheet sheet, string name)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in SheetTable.Records(sheet, name, "city_code", "year"))
        {
            if (r["city_code"].Length == 0 || !int.TryParse(r["year"], NumberStyles.None, CultureInfo.InvariantCulture, out var y))
                continue;
            d[r["city_code"]] = d.TryGetValue(r["city_code"], out var prev) ? Math.Min(prev, y) : y;
        }
        return d;
    }

    private static double Num(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    private static SimFile TargetsFile(SimulatedPanel panel, SimulateOptions o)
    {
        var rows = new List<IReadOnlyList<SimCell>>
        {
            new[] { SimCell.Of($"各省、地级及以上城市政府工作报告 地区生产总值增长目标 {o.FirstYear}-{o.LastYear}（模拟数据）") },
            new[] { "地区", "行政区划代码", "级别", "年份", "经济增长目标(%)", "目标表述" }.Select(SimCell.Of).ToArray(),
        };
        foreach (var t in panel.Targets.OrderBy(t => t.Code, StringComparer.Ordinal).ThenBy(t => t.Year))
        {
            rows.Add(new[]
            {
                SimCell.Of(t.Name), SimCell.Of(t.Code), SimCell.Of(t.Level), SimCell.Of(t.Year.ToString(CultureInfo.InvariantCulture)),
                SimCell.Of(double.IsNaN(t.Target) ? "—" : t.Target.ToString("0.0", CultureInfo.InvariantCulture)), SimCell.Of(t.Wording),
            });
        }
        return new SimFile($"growth_targets_{o.FirstYear}-{o.LastYear}.csv", SimFormat.CsvUtf8Bom, [new SimSheet("targets", rows)]);
    }
}

/// <summary>Writes the planted truth: att_by_cohort_event.csv, att_summary.csv, index_weights.csv, README.md.</summary>
internal static class TruthWriter
{
    public static void Write(string dir, PlantedTruth truth, SimulationInputs inputs, SimulatedPanel panel)
    {
        Directory.CreateDirectory(dir);
        WriteCsv(Path.Combine(dir, "att_by_cohort_event.csv"),
            ["definition", "cohort", "event_time", "units", "att_index", "att_broadband_component", "att_cluster_component",
             "att_patents_per_10k", "att_employment_density"],
            truth.Cells.Select(c => new[] { c.Definition, I(c.Cohort), I(c.EventTime), I(c.Units), R(c.AttIndex),
                R(c.AttBroadbandComponent), R(c.AttClusterComponent), R(c.AttPatentsPer10k), R(c.AttEmploymentDensity) }));
        WriteCsv(Path.Combine(dir, "att_summary.csv"),
            ["definition", "group", "units", "unit_years", "att_index", "att_patents_per_10k", "att_employment_density"],
            truth.Summaries.Select(s => new[] { s.Definition, s.Group, I(s.Units), I(s.UnitYears), R(s.AttIndex),
                R(s.AttPatentsPer10k), R(s.AttEmploymentDensity) }));
        WriteCsv(Path.Combine(dir, "index_weights.csv"),
            ["indicator", "dimension", "direction", "min", "max", "entropy", "weight"],
            truth.Weights.Select(w => new[] { w.Indicator, w.Dimension, w.Direction > 0 ? "+" : "-", R(w.Min), R(w.Max),
                R(w.Entropy), R(w.Weight) }));
        WriteCsv(Path.Combine(dir, "units.csv"),
            ["city_code", "name", "in_sample", "bb_first", "cl_first", "resource_based", "central", "large", "target_hard",
             "target_intensified", "heterogeneity_factor"],
            panel.Units.Select(u => new[] { u.City.Code, u.City.Name, u.City.InSample ? "1" : "0", I(u.BroadbandFirst),
                I(u.ClusterFirst), B(u.City.ResourceBased), B(u.City.Central), B(u.Large), B(u.HardTarget), B(u.Intensified),
                R(u.Heterogeneity) }));
        File.WriteAllText(Path.Combine(dir, "README.md"), TruthReadme.Render(truth, inputs, panel), new UTF8Encoding(false));
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string B(bool b) => b ? "1" : "0";

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteCsv(string path, string[] header, IEnumerable<string[]> rows)
    {
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(path);
        foreach (var r in rows)
        {
            using var row = writer.NewRow();
            for (var i = 0; i < header.Length; i++)
                row[header[i]].Set(r[i]);
        }
    }
}
