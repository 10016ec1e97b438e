using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using nietras.SeparatedValues;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Simulation;

/// <summary>
/// The configuration folder of a roster <c>scale</c> times the study's (<c>simulate --scale K</c>), so that the whole
/// pipeline can be run at 10× or 100× its default size: a copy of the configuration in which every in-sample city of
/// cities.csv gains K − 1 synthetic prefecture-level units that copy its province, region, resource type, validity and
/// census population (simulation/census_population.csv) and its rows of every policy list (policies/*.csv), under codes
/// that name no real unit and names no real unit bears (保定市 → 保定2市 … 保定K市, short 保定2, English "Baoding 2").
/// The real roster in config/ is never touched; the simulated yearbooks and the planted truth are drawn from the copy,
/// and the stages read it through NQPF_CONFIG_DIR.
/// </summary>
internal static class ScaledRoster
{
    public const string Marker = "(simulate --scale)";

    /// <summary>Copies <paramref name="configDir"/> into <paramref name="target"/> (without its planted truth) and adds the synthetic units.</summary>
    public static void Write(string configDir, string target, int scale)
    {
        if (scale < 2) throw new ArgumentOutOfRangeException(nameof(scale), "A scaled roster needs --scale 2 or more.");
        CopyTree(configDir, target);
        RaiseRowLimit(Path.Combine(target, "appsettings.json"), scale);
        var copies = Cities(Path.Combine(configDir, "cities.csv"), Path.Combine(target, "cities.csv"), Path.Combine(configDir, "county_units.csv"), scale);
        Rewrite(Path.Combine(configDir, "simulation", "census_population.csv"), Path.Combine(target, "simulation", "census_population.csv"),
            "code", copies, (row, copy) => row.With(("code", copy.Code), ("name", copy.Name)));
        foreach (var list in Directory.GetFiles(Path.Combine(configDir, "policies"), "*.csv"))
        {
            Rewrite(list, Path.Combine(target, "policies", Path.GetFileName(list)), "city_code", copies,
                (row, copy) => row.With(("city_code", copy.Code), ("prefecture_name", copy.Name)));
        }
    }

    /// <summary>
    /// Ingest:Limits:MaxRows (a guard against runaway files) at least 12 rows per unit: the growth-target file holds one
    /// row per unit and year, 302,500 rows at 100×, over the default 200,000.
    /// </summary>
    private static void RaiseRowLimit(string settingsFile, int scale)
    {
        var settings = JsonNode.Parse(File.ReadAllText(settingsFile))!.AsObject();
        var ingest = settings["Ingest"] as JsonObject ?? (JsonObject)(settings["Ingest"] = new JsonObject());
        var limits = ingest["Limits"] as JsonObject ?? (JsonObject)(ingest["Limits"] = new JsonObject());
        var needed = 12 * 275 * scale;
        if ((limits["MaxRows"]?.GetValue<int>() ?? new ReadLimits().MaxRows) < needed)
            limits["MaxRows"] = needed;
        File.WriteAllText(settingsFile, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A synthetic unit: its code and name.</summary>
    private sealed record Copy(string Code, string Name);

    /// <summary>A CSV row as its header's values.</summary>
    private sealed record Row(string[] Header, string[] Values)
    {
        public string this[string column] => Values[Array.IndexOf(Header, column)];

        /// <summary>A copy with the named values replaced (columns the file does not have are left out).</summary>
        public Row With(params (string Column, string Value)[] values)
        {
            var copy = (string[])Values.Clone();
            foreach (var (column, value) in values)
            {
                if (Array.IndexOf(Header, column) is >= 0 and var i) copy[i] = value;
            }
            return this with { Values = copy };
        }
    }

    /// <summary>Writes cities.csv with the copies after the real rows; returns the copies of each real code.</summary>
    private static Dictionary<string, List<Copy>> Cities(string source, string target, string counties, int scale)
    {
        var (header, rows) = Read(source);
        var used = rows.Select(r => r["code"]).Concat(Read(counties).Rows.Select(r => r["code"])).ToHashSet(StringComparer.Ordinal);
        var codes = new SyntheticCodes(used);
        var copies = new Dictionary<string, List<Copy>>(StringComparer.Ordinal);
        var output = new List<Row>(rows);
        foreach (var city in rows.Where(r => r["in_sample"] == "1"))
        {
            var list = copies[city["code"]] = [];
            for (var k = 2; k <= scale; k++)
            {
                var n = k.ToString(CultureInfo.InvariantCulture);
                var copy = new Copy(codes.Next(city["code"][..2]), city["short_name"] + n + "市");
                list.Add(copy);
                output.Add(city.With(("code", copy.Code), ("name", copy.Name), ("short_name", city["short_name"] + n), ("level", "地级市"),
                    ("capital", "0"), ("sub_provincial", "0"), ("planned", "0"), ("former_names", ""), ("former_codes", ""),
                    ("aliases", ""), ("name_en", city["name_en"] + " " + n), ("name_en_variants", ""),
                    ("source", $"synthetic copy of {city["code"]} {Marker}"), ("confidence", "synthetic")));
            }
        }
        WriteCsv(target, header, output);
        return copies;
    }

    /// <summary>Writes <paramref name="source"/>'s rows to <paramref name="target"/>, each row of a copied city followed by one row per copy.</summary>
    private static void Rewrite(string source, string target, string codeColumn, Dictionary<string, List<Copy>> copies, Func<Row, Copy, Row> make)
    {
        var (header, rows) = Read(source);
        var output = new List<Row>();
        foreach (var row in rows)
        {
            output.Add(row);
            foreach (var copy in copies.GetValueOrDefault(row[codeColumn]) ?? [])
                output.Add(make(row, copy));
        }
        WriteCsv(target, header, output);
    }

    private static (string[] Header, List<Row> Rows) Read(string path)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(path);
        var header = reader.Header.ColNames.ToArray();
        var rows = new List<Row>();
        foreach (var row in reader)
        {
            var values = new string[header.Length];
            for (var i = 0; i < values.Length; i++) values[i] = row[i].ToString();
            rows.Add(new Row(header, values));
        }
        return (header, rows);
    }

    private static void WriteCsv(string path, string[] header, List<Row> rows)
    {
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(path);
        foreach (var r in rows)
        {
            using var row = writer.NewRow();
            for (var i = 0; i < header.Length; i++)
                row[header[i]].Set(r.Values[i]);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("truth" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                continue;
            var path = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(file, path, overwrite: true);
        }
    }

    /// <summary>
    /// Six-digit codes in a province's range counted down from pp9999, skipping every code of the real roster and of
    /// the county table and every code ending in 00 (the prefecture pattern), so no synthetic unit can be taken for a
    /// real one by its code.
    /// </summary>
    private sealed class SyntheticCodes(HashSet<string> used)
    {
        private readonly Dictionary<string, int> _next = new(StringComparer.Ordinal);

        public string Next(string province)
        {
            var n = _next.GetValueOrDefault(province, 9999);
            while (true)
            {
                if (n < 100) throw new ConfigValidationException($"simulate --scale: province {province} has run out of synthetic codes.");
                var suffix = n--;
                var code = province + suffix.ToString("D4", CultureInfo.InvariantCulture);
                if (suffix % 100 == 0 || used.Contains(code)) continue;
                _next[province] = n;
                return code;
            }
        }
    }
}
