using System.Text.Json;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Simulation;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Simulation;
using NQPF.Tests.Shared;
using static NQPF.Tests.Shared.RealLayoutFixtures;

namespace NQPF.Pipeline.Tests.Ingest;

/// <summary>
/// A data folder shaped like real files (an official edition workbook, a 2021 per-table workbook in its edition folder,
/// a researcher's per-variable FDI panel, a wide GDP table; synthetic numbers from <see cref="RealLayoutFixtures"/>),
/// written as .xlsx files and read through the CLI: <c>inspect</c> on each, <c>inspect --manifest</c>, and <c>run --to
/// ingest</c> on them together.
/// </summary>
public sealed class RealDataCliTests : IDisposable
{
    private const string Edition = "地级市（及以上城市）统计资料（2014年）.xlsx";
    private const string Table2021 = "中国城市统计年鉴2021（excel）/二、地级以上城市统计资料/2-1_人口数.xlsx";
    private const string Fdi = "外商直接投资.xlsx";
    private const string Wide = "地区生产总值(亿元).xlsx";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "nqpf-real-" + Guid.NewGuid().ToString("N")[..10]);

    public RealDataCliTests()
    {
        Write(Edition, OfficialEdition(2014));
        Write(Table2021, PerTableWorkbook());
        Write(Fdi, FdiPanel("万美元", 1, 2011, 2020));
        Write(Wide, WideGdp());
    }

    private string Raw => Path.Combine(_root, "raw");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, params Sheet[] sheets) => WriteIn(Raw, relative, sheets);

    private static void WriteIn(string raw, string relative, params Sheet[] sheets)
    {
        var path = Path.Combine(raw, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var simSheets = sheets.Select(sheet => new SimSheet(sheet.Name,
            sheet.Rows.Select(r => (IReadOnlyList<SimCell>)r.Cells.Select(SimCell.Of).ToList()).ToList())).ToList();
        File.WriteAllBytes(path, SimulationWriter.ToBytes(new SimFile(relative, SimFormat.Xlsx, simSheets)));
    }

    private Task<(int Code, string Output, string Error)> CliAsync(params string[] args) => CliInAsync(Raw, args);

    private async Task<(int Code, string Output, string Error)> CliInAsync(string raw, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new HostSettings
        {
            ConfigDir = Path.Combine(RepoPaths.Root, "config"),
            RawDir = raw,
            ProcessedDir = Path.Combine(_root, "processed"),
        };
        var code = await CommandCatalog.RunAsync(args, settings, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static void Has(string text, string part) => Assert.True(text.Contains(part, StringComparison.Ordinal), $"'{part}' not in:\n{text}");

    [Fact]
    public async Task Inspect_OfficialEdition_ShowsEachColumnScopeUnitAndEvidence()
    {
        var (code, text, error) = await CliAsync("inspect", Path.Combine(Raw, Edition));
        Assert.True(code == ExitCodes.Ok, error + text);
        Has(text, "variable row 4, section rows 2, scope row 5, unit row -; data from row 6");
        Has(text, "B '年末户籍人口 (万人） Household Registered Populat…' → pop_registered · scope 全市 · unit 万人 (header)");
        Has(text, "C '年末户籍人口 (万人） Household Registered Populat…' → pop_registered_district · scope 市辖区");
        Has(text, "F '城镇单位从业人员期末人数' → employees_total · scope 全市 · unit 人 (section row)");
        Has(text, "E not read: header '年末常住人口(万人>' is field 'pop_resident' in scope '市辖区'");
        Has(text, "years: 2013");
        Has(text, "cities: 12 data rows, 12 units matched");
        Has(text, "rows skipped: 1 province, 1 total, 2 footnote");
        Has(text, "the 2014 edition: data year 2013");
    }

    [Fact]
    public async Task Inspect_PanelAndTableAndWide_ShowCitiesYearsAndUnits()
    {
        var (code, text, error) = await CliAsync("inspect", Path.Combine(Raw, Fdi), Path.Combine(Raw, Table2021), Path.Combine(Raw, Wide));
        Assert.True(code == ExitCodes.Ok, error + text);
        Has(text, "== 外商直接投资.xlsx");
        Has(text, "key columns: city name B, code -, year A, unit D");
        Has(text, "C '外商直接投资' → fdi_actual · scope 全市 · unit 万美元 (none printed (canonical))");
        Has(text, "E '数据来源' unmapped");
        Has(text, "years: 2011–2020 (10)");
        Has(text, "footnote, 10 county-level");
        Assert.DoesNotContain("unmatched:", text, StringComparison.Ordinal);
        Has(text, "== " + Table2021);
        Has(text, "read as data year 2020");
        Has(text, "wide table (years across the columns)");
        Has(text, "→ gdp · scope 全市 · unit 亿元 (header) · year 2012");
    }

    [Fact]
    public async Task Inspect_UnknownHeader_ExitsOneWithTheAliasToAddAndManifestListsIt()
    {
        File.WriteAllText(Path.Combine(Raw, "carbon.csv"), "年份,城市,实际利用外资额,单位\n2013,唐山市,5,万美元\n");
        var manifest = Path.Combine(_root, "sources.json");
        var (code, text, _) = await CliAsync("inspect", Path.Combine(Raw, "carbon.csv"), Path.Combine(Raw, Fdi), "--manifest", manifest);
        Assert.Equal(ExitCodes.Failed, code);
        Has(text, "add \"实际利用外资额\" to the Aliases of \"fdi_actual\" in config/fields.json");
        using var json = JsonDocument.Parse(File.ReadAllText(manifest));
        var entry = Assert.Single(json.RootElement.GetProperty("Files").EnumerateArray());
        Assert.Equal(Fdi, entry.GetProperty("Path").GetString());
        Assert.Equal("fdi_actual", entry.GetProperty("Columns").GetProperty("C").GetProperty("Field").GetString());
        Assert.Equal(("B", "A"), (entry.GetProperty("CityColumn").GetString(), entry.GetProperty("YearColumn").GetString()));
        Assert.Equal("数据来源", entry.GetProperty("Columns").GetProperty("E").GetProperty("Header").GetString());
    }

    [Fact]
    public async Task RunToIngest_RealShapesTogether_EveryYearAndManifestUnitApplied()
    {
        // The unit column says 百万美元 but the values are in 万美元: sources.json corrects the unit and wins.
        Write(Fdi, FdiPanel("百万美元", 1, 2011, 2020));
        File.WriteAllText(Path.Combine(Raw, "sources.json"),
            "{\"Files\": [{\"Path\": \"外商*.xlsx\", \"Columns\": {\"C\": {\"Field\": \"fdi_actual\", \"Unit\": \"万美元\"}}}]}");
        var (code, _, error) = await CliAsync("run", "--to", "ingest");
        Assert.True(code == ExitCodes.Ok, error);
        var run = Directory.GetDirectories(Path.Combine(_root, "processed", "runs")).Single();
        var file = Path.Combine(run, "01-ingest", "panel.parquet");
        var panel = await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
        var years = panel.Longs("year").Distinct().Order().ToArray();
        Assert.Equal(Enumerable.Range(2011, 10).Select(y => (long)y), years);
        var at = Enumerable.Range(0, panel.RowCount).Single(i => panel.Strings("city_code")[i] == "130600" && panel.Longs("year")[i] == 2013 && panel.Strings("field")[i] == "gdp");
        var fdi = Enumerable.Range(0, panel.RowCount).Single(i => panel.Strings("city_code")[i] == "130600" && panel.Longs("year")[i] == 2017 && panel.Strings("field")[i] == "fdi_actual");
        Assert.Equal(RealLayoutFixtures.Fdi(5, 2017), panel.Doubles("value")[fdi]);
        // The per-table workbook inside its edition folder is read (raw subfolders are sources too).
        var pop = Enumerable.Range(0, panel.RowCount).Single(i => panel.Strings("city_code")[i] == "130100" && panel.Longs("year")[i] == 2020 && panel.Strings("field")[i] == "pop_registered");
        Assert.Equal(Pop(0) + 5, panel.Doubles("value")[pop]);
        // The edition (dated) takes precedence over the undated wide table for 2013.
        Assert.Equal(Gdp(5), panel.Doubles("value")[at]);
        Assert.Contains("地级市（及以上城市）统计资料（2014年）.xlsx", panel.Strings("source_file")[at], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunToIndex_PartialData_CleanAndIndexSayWhatIsMissingAndGoOn()
    {
        var raw = Path.Combine(_root, "partial");
        Directory.CreateDirectory(raw);
        var lines = new List<string> { "年份,城市,建成区绿化覆盖率(%),生活垃圾无害化处理率(%),一般工业固体废物综合利用率(%)" };
        for (var year = 2011; year <= 2021; year++)
            lines.AddRange(Hebei.Select((c, i) => $"{year},{c.Name},{30 + i + 0.3 * (year - 2011)},{70 + 2 * i + (year - 2011)},{50 + 3 * i}"));
        File.WriteAllLines(Path.Combine(raw, "环境面板.csv"), lines);
        var (code, _, error) = await CliInAsync(raw, "run", "--to", "index");
        Assert.True(code == ExitCodes.Ok, error);
        var run = Directory.GetDirectories(Path.Combine(_root, "processed", "runs")).Single();
        var clean = File.ReadAllText(Path.Combine(run, "02-clean", "settings.md"));
        Has(clean, "- panel: 11 cities × 2011–2021 = 121 city-years");
        Has(clean, "left missing, not used to drop cities): students_per_10k, research_share");
        var index = File.ReadAllText(Path.Combine(run, "03-index", "settings.md"));
        Has(index, "## Indicators not available");
        Has(index, "students_per_10k (0 %)");
        Assert.DoesNotContain("green_coverage (", index, StringComparison.Ordinal);
        var file = Path.Combine(run, "03-index", "weights.parquet");
        var weights = await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
        Assert.Equal(new[] { "garbage_treatment_rate", "green_coverage", "solid_waste_util_rate" }, weights.Strings("indicator").Select(s => s!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task RunToClean_EveryCityHasLongGaps_FailsSayingWhyInsteadOfZeroRows()
    {
        var raw = Path.Combine(_root, "gappy");
        Directory.CreateDirectory(raw);
        // Values in 2011 and 2021 only: a 9-year gap in every city's series, longer than Clean:MaxGap.
        var lines = new List<string> { "年份,城市,建成区绿化覆盖率(%),生活垃圾无害化处理率(%)" };
        foreach (var year in new[] { 2011, 2021 })
            lines.AddRange(Hebei.Select((c, i) => $"{year},{c.Name},{30 + i},{70 + i}"));
        File.WriteAllLines(Path.Combine(raw, "环境面板.csv"), lines);
        var (code, _, error) = await CliInAsync(raw, "run", "--to", "clean");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("clean/panel would have no city-years for 2011–2021", error, StringComparison.Ordinal);
        Assert.Contains("11 × gap longer than MaxGap 3: green_coverage missing 2012–2020 (9 years)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAndRunToClean_ChineseAndEnglishNames_PairsReportedAndDisagreementNotGuessed()
    {
        var raw = Path.Combine(_root, "names");
        Directory.CreateDirectory(raw);
        var lines = new List<string> { "年份,城市,City,建成区绿化覆盖率(%),生活垃圾无害化处理率(%)" };
        for (var year = 2011; year <= 2021; year++)
        {
            lines.AddRange(Hebei.Select((c, i) => (i switch { 0 => ("石家庒市", c.English), 1 => (c.Name, "Handan"), _ => (c.Name, c.English.ToUpperInvariant()) }, i))
                .Select(x => $"{year},{x.Item1.Item1},{x.Item1.Item2},{30 + x.i + 0.3 * (year - 2011)},{70 + 2 * x.i + (year - 2011)}"));
        }
        File.WriteAllLines(Path.Combine(raw, "环境面板.csv"), lines);
        var (code, text, error) = await CliInAsync(raw, "inspect", Path.Combine(raw, "环境面板.csv"));
        Assert.True(code == ExitCodes.Ok, error + text);
        Has(text, "city_name_pair_one_matched: 11 rows, e.g. row 2: B '石家庒市', C 'Shijiazhuang': the Chinese name matches no unit; the English name is 130100 石家庄市");
        Has(text, "city_names_disagree: 11 rows, e.g. row 3: B '唐山市', C 'Handan': the Chinese name is 130200 唐山市 but the English name is 130400 邯郸市; row skipped");
        (code, _, error) = await CliInAsync(raw, "run", "--to", "clean");
        Assert.True(code == ExitCodes.Ok, error);
        var run = Directory.GetDirectories(Path.Combine(_root, "processed", "runs")).Single();
        Has(File.ReadAllText(Path.Combine(run, "02-clean", "settings.md")), "- panel: 10 cities × 2011–2021 = 110 city-years");
        var file = Path.Combine(run, "02-clean", "panel.parquet");
        var panel = await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
        var cities = panel.Strings("city_code").Distinct().ToHashSet();
        Assert.Contains("130100", cities);
        Assert.DoesNotContain("130200", cities);
    }

    [Fact]
    public async Task RunToClean_LongPanel2000To2023_NoValidityFindingsCountyRowsSkippedAndYiliPrefectureKeptApart()
    {
        var raw = Path.Combine(_root, "long");
        Directory.CreateDirectory(raw);
        var lines = new List<string> { "年份,城市,建成区绿化覆盖率(%),生活垃圾无害化处理率(%)" };
        for (var year = 2000; year <= 2023; year++)
            lines.AddRange(Hebei.Select((c, i) => $"{year},{c.Name},{30 + i + 0.3 * (year - 2000)},{60 + 2 * i + (year - 2000)}"));
        lines.Add("2000,伊犁地区,31,61");
        lines.Add("2000,伊犁哈萨克自治州,32,62");
        lines.Add("2000,伊克昭盟,33,63");
        lines.Add("2015,辛集市,34,64");
        lines.Add("2015,阿勒泰市,35,65");
        lines.Add("2010,巢湖市,36,66");
        lines.Add("2013,巢湖市,37,67");
        File.WriteAllLines(Path.Combine(raw, "环境面板.csv"), lines);
        var (code, _, error) = await CliInAsync(raw, "run", "--to", "clean");
        Assert.True(code == ExitCodes.Ok, error);
        var run = Directory.GetDirectories(Path.Combine(_root, "processed", "runs")).Single();
        var file = Path.Combine(run, "01-ingest", "findings.parquet");
        var f = await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
        var kinds = f.Strings("kind");
        Assert.DoesNotContain("unit_not_valid_in_year", kinds);
        Assert.DoesNotContain("unknown_city", kinds);
        var details = Enumerable.Range(0, f.RowCount).Select(i => f.Strings("detail")[i]).ToList();
        Assert.Contains("654100 伊犁地区: level: 地区 (the yearbook's city tables cover 直辖市 and 地级市 only)", details);
        Assert.Contains("654000 伊犁哈萨克自治州: level: 自治州 (the yearbook's city tables cover 直辖市 and 地级市 only)", details);
        Assert.Contains("'伊克昭盟' → 150600 鄂尔多斯市", details);
        Assert.Equal(3, kinds.Count(k => k == "county_level_row"));
        Assert.Contains("'阿勒泰市' is the county-level unit 654301 阿勒泰市 (prefecture 654300 阿勒泰地区) in 2015; row skipped (not a prefecture-level city)", details);
        Assert.Contains("'巢湖市' is the county-level unit 340181 巢湖市 (prefecture 340100 合肥市) in 2013; row skipped (not a prefecture-level city)", details);
        var panelFile = Path.Combine(run, "01-ingest", "panel.parquet");
        var panel = await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(panelFile), panelFile, CancellationToken.None);
        Assert.Equal(Enumerable.Range(2000, 24).Select(y => (long)y), panel.Longs("year").Distinct().Order());
        Assert.Equal(2, Enumerable.Range(0, panel.RowCount).Count(i => panel.Strings("city_code")[i] == "654100"));
        Assert.Equal(2, Enumerable.Range(0, panel.RowCount).Count(i => panel.Strings("city_code")[i] == "341400" && panel.Longs("year")[i] == 2010));
        Assert.DoesNotContain("654300", panel.Strings("city_code"));
        Has(File.ReadAllText(Path.Combine(run, "02-clean", "settings.md")), "- panel: 11 cities × 2011–2023 = 143 city-years (balanced)");
    }

    [Fact]
    public async Task InspectAndRunToClean_UnitOnlyOnTheNoteSheet_ReadAsTheColumnsUnitWithFinding()
    {
        var raw = Path.Combine(_root, "note");
        WriteIn(raw, "地区生产总值面板.xlsx", PanelWithUnitInNote(noteSheet: true));
        var (code, text, error) = await CliInAsync(raw, "inspect", Path.Combine(raw, "地区生产总值面板.xlsx"));
        Assert.True(code == ExitCodes.Ok, error + text);
        Has(text, "unit_from_note: gdp: no unit printed in the header; unit 亿元 read from sheet 'NOTE' cell B3 ('单位：亿元'), × 10000 to 万元");
        (code, _, error) = await CliInAsync(raw, "run", "--to", "clean");
        Assert.True(code == ExitCodes.Ok, error);
        var run = Directory.GetDirectories(Path.Combine(_root, "processed", "runs")).Single();
        var file = Path.Combine(run, "01-ingest", "panel.parquet");
        var panel = await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
        var at = Enumerable.Range(0, panel.RowCount).Single(i => panel.Strings("city_code")[i] == "130600" && panel.Longs("year")[i] == 2017 && panel.Strings("field")[i] == "gdp");
        Assert.Equal(GdpYi(5, 2017) * 1e4, panel.Doubles("value")[at], 6);
        Assert.Equal("亿元", panel.Strings("printed_unit")[at]);
        Has(File.ReadAllText(Path.Combine(run, "02-clean", "settings.md")), "- panel: 11 cities × 2011–2021 = 121 city-years");
    }
}
