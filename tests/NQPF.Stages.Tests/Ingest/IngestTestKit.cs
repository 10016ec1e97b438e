using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Stages.Common;
using NQPF.Stages.Ingest;
using NQPF.Tests.Shared;

namespace NQPF.Stages.Tests.Ingest;

/// <summary>
/// Runs the ingest stage on in-memory sheets: a fake <see cref="ISheetReader"/> hands back the workbook registered
/// under each file name (the real readers are tested in NQPF.Pipeline.Tests), with a small roster and the
/// repository's config/fields.json.
/// </summary>
internal sealed class IngestTestKit : ISheetReader
{
    private readonly Dictionary<string, Workbook> _books = new(StringComparer.Ordinal);
    private byte[]? _manifest;

    public IngestTestKit()
    {
        Add("cities.csv", Rows(
            "code,name,short_name,province,province_code,level,capital,sub_provincial,planned,central,resource_type,former_names,former_codes,aliases,valid_from,valid_to,city_from,in_sample,exclusion_reason,source,confidence,name_en,name_en_variants",
            "110000,北京市,北京,北京市,110000,直辖市,0,0,0,1,,,,北京,2010,2022,2010,1,,s,high,Beijing,",
            "130100,石家庄市,石家庄,河北省,130000,地级市,1,0,0,1,,,,石家庄,2010,2022,2010,1,,s,high,Shijiazhuang,",
            "130200,唐山市,唐山,河北省,130000,地级市,0,0,0,0,成熟型,,,唐山,2010,2022,2010,1,,s,high,Tangshan,",
            "130300,秦皇岛市,秦皇岛,河北省,130000,地级市,0,0,0,0,,,,秦皇岛,2010,2022,2010,1,,s,high,Qinhuangdao,",
            "130400,邯郸市,邯郸,河北省,130000,地级市,0,0,0,0,,,,邯郸,2010,2022,2010,1,,s,high,Handan,",
            "130500,邢台市,邢台,河北省,130000,地级市,0,0,0,0,,,,邢台,2010,2022,2010,1,,s,high,Xingtai,",
            "130600,保定市,保定,河北省,130000,地级市,0,0,0,0,,,,保定,2010,2022,2010,1,,s,high,Baoding,",
            "130700,张家口市,张家口,河北省,130000,地级市,0,0,0,0,,,,张家口,2010,2022,2010,1,,s,high,Zhangjiakou,",
            "130800,承德市,承德,河北省,130000,地级市,0,0,0,0,,,,承德,2010,2022,2010,1,,s,high,Chengde,",
            "130900,沧州市,沧州,河北省,130000,地级市,0,0,0,0,,,,沧州,2010,2022,2010,1,,s,high,Cangzhou,",
            "131000,廊坊市,廊坊,河北省,130000,地级市,0,0,0,0,,,,廊坊,2010,2022,2010,1,,s,high,Langfang,",
            "131100,衡水市,衡水,河北省,130000,地级市,0,0,0,0,,,,衡水,2010,2022,2010,1,,s,high,Hengshui,",
            "222400,延边朝鲜族自治州,延边,吉林省,220000,自治州,0,0,0,0,,,,延边|延边州,2010,2022,2010,1,,s,high,Yanbian,",
            "341600,亳州市,亳州,安徽省,340000,地级市,0,0,0,0,成熟型,,,亳州|毫州,2010,2022,2010,1,,s,high,Bozhou,",
            "520500,毕节市,毕节,贵州省,520000,地级市,0,0,0,0,成长型,毕节地区,522400,毕节,2010,2022,2012,0,continuity: converted,s,high,Bijie,",
            "150100,呼和浩特市,呼和浩特,内蒙古自治区,150000,地级市,1,0,0,1,,,,呼和浩特,2010,2022,2010,1,,s,high,Hohhot,Huhehaote",
            "610100,西安市,西安,陕西省,610000,地级市,1,1,0,1,,,,西安,2010,2022,2010,1,,s,high,Xi'an,",
            "341500,六安市,六安,安徽省,340000,地级市,0,0,0,0,,,,六安,2010,2022,2010,1,,s,high,Lu'an,Liu'an",
            "650100,乌鲁木齐市,乌鲁木齐,新疆维吾尔自治区,650000,地级市,1,0,0,1,,,,乌鲁木齐,2010,2022,2010,0,province,s,high,Urumqi,Wulumuqi",
            "230100,哈尔滨市,哈尔滨,黑龙江省,230000,地级市,1,1,0,1,,,,哈尔滨,2010,2022,2010,1,,s,high,Harbin,Ha'erbin",
            "321200,泰州市,泰州,江苏省,320000,地级市,0,0,0,0,,,,泰州,2010,2022,2010,1,,s,high,Taizhou,",
            "331000,台州市,台州,浙江省,330000,地级市,0,0,0,0,,,,台州,2010,2022,2010,1,,s,high,Taizhou,",
            "654300,阿勒泰地区,阿勒泰,新疆维吾尔自治区,650000,地区,0,0,0,0,,,,阿勒泰,2000,2024,2000,0,level,s,high,Altay,Aletai",
            "341400,巢湖市,巢湖,安徽省,340000,地级市,0,0,0,0,,,,巢湖,2000,2010,2000,0,continuity,s,high,Chaohu,",
            "460300,三沙市,三沙,海南省,460000,地级市,0,0,0,0,,,,三沙,2012,2022,2013,0,continuity: created 2012,s,high,Sansha,"));
        Add("city_changes.csv", Rows(
            "year,old_code,old_name,new_code,new_name,change_type,old_name_until,new_name_from",
            "2011,522400,毕节地区,520500,毕节市,地区->地级市,2011,2011"));
    }

    public static string FieldsJsonPath => Path.Combine(ReferenceFiles.RepoRoot, "config", "fields.json");

    public static Sheet Rows(params string[] lines) => Sheet("Sheet1", lines);

    public static Sheet Sheet(string name, params string[] lines) => Sheet(name, ',', lines);

    /// <summary>A sheet from lines split on <paramref name="separator"/> (| for cells that hold commas).</summary>
    public static Sheet Sheet(string name, char separator, params string[] lines) =>
        new(name, lines.Select((l, i) => new SheetRow(i + 1, l.Split(separator))).ToList());

    public IngestTestKit Add(string file, params Sheet[] sheets)
    {
        _books[file] = new Workbook(file, Path.GetExtension(file).TrimStart('.'), "utf-8", sheets);
        return this;
    }

    /// <summary>Adds config/county_units.csv with a few county-level units (辛集市, 阿勒泰市, 巢湖市 from 2011, 长安区).</summary>
    public IngestTestKit WithCounties()
    {
        _withCounties = true;
        return Add("county_units.csv", Rows("code,name,prefecture_code,first_year,last_year", "130181,辛集市,130100,2000,2024",
            "654301,阿勒泰市,654300,2000,2024", "340181,巢湖市,340100,2011,2024", "130102,长安区,130100,2000,2024"));
    }

    private bool _withCounties;

    /// <summary>Puts a data-raw/sources.json with this text beside the files.</summary>
    public IngestTestKit Manifest(string json)
    {
        _manifest = System.Text.Encoding.UTF8.GetBytes(json);
        return this;
    }

    public Workbook Read(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits) =>
        _books.TryGetValue(fileName, out var b) ? b : throw new DataValidationException($"{fileName}: not registered in the test kit.");

    /// <summary>Runs the stage over every registered raw file (all but the two roster tables).</summary>
    public StageResult Run(IngestOptions? options = null, IProgress<StageProgress>? progress = null)
    {
        var sources = _books.Keys.Where(k => k is not ("cities.csv" or "city_changes.csv" or "county_units.csv")).Order(StringComparer.Ordinal)
            .Select(k => new SourceFile("raw", k, [1]))
            .Concat(_manifest is null ? [] : [new SourceFile("raw", SourceManifest.FileName, _manifest)])
            .Append(new SourceFile("config", "fields.json", File.ReadAllBytes(FieldsJsonPath)))
            .Append(new SourceFile("config", "cities.csv", [1]))
            .Append(new SourceFile("config", "city_changes.csv", [1]))
            .Concat(_withCounties ? [new SourceFile("config", "county_units.csv", [1])] : [])
            .ToList();
        var stage = new IngestStage(this, options ?? new IngestOptions());
        var context = new StageContext(new Dictionary<string, Frame>(), sources, progress ?? new Progress<StageProgress>(), NullLogger.Instance)
        {
            Config = new ConfigTables(sources, this),
        };
        return stage.Run(context, CancellationToken.None);
    }

    public static List<(string Kind, string Detail, long Row, string Column)> Findings(StageResult r)
    {
        var f = r.Tables["findings"];
        return Enumerable.Range(0, f.RowCount)
            .Select(i => (f.Strings("kind")[i]!, f.Strings("detail")[i]!, f.Longs("row")[i], f.Strings("column")[i]!)).ToList();
    }

    public static double Value(StageResult r, string city, int year, string field)
    {
        var p = r.Tables["panel"];
        for (var i = 0; i < p.RowCount; i++)
        {
            if (p.Strings("city_code")[i] == city && p.Longs("year")[i] == year && p.Strings("field")[i] == field)
                return p.Doubles("value")[i];
        }
        return double.NaN;
    }
}
