using NQPF.Stages.Common;
using NQPF.Stages.Ingest;
using static NQPF.Tests.Shared.RealLayoutFixtures;

namespace NQPF.Stages.Tests.Ingest;

/// <summary>What <c>inspect</c> prints for each real-shape fixture: the column mapping with its evidence and the outcome.</summary>
public class FileInspectorTests
{
    private static FileInspector Inspector()
    {
        var kit = new IngestTestKit();
        var roster = CityRoster.Load(kit.Read("cities.csv", default, new()).Sheets[0], kit.Read("city_changes.csv", default, new()).Sheets[0]);
        return new FileInspector(FieldCatalog.FromJson(File.ReadAllBytes(IngestTestKit.FieldsJsonPath)), roster, new IngestOptions());
    }

    public static TheoryData<string, string, string> Fixtures() => new()
    {
        { "地级市（及以上城市）统计资料（2014年）.xlsx", "edition", "I '地区生产总值 （万元）' → gdp_district · scope 市辖区 · unit 万元 (header)" },
        { "中国城市统计年鉴2021（excel）/二、地级以上城市统计资料/2-1_人口数.xlsx", "table", "C '户籍人口(万人) Registered Population (10 000 p…' → pop_registered · scope 全市" },
        { "外商直接投资.xlsx", "panel", "C '外商直接投资' → fdi_actual · scope 全市 · unit 万美元 (none printed (canonical))" },
        { "地区生产总值(亿元).xlsx", "wide", "D '2013年' → gdp · scope 全市 · unit 亿元 (header) · year 2013" },
        { "CSMAR_城市经济.xlsx", "csmar", "D '地区生产总值' → gdp · scope 全市 · unit 亿元 (unit row)" },
        { "地级市（及以上城市）统计资料（2021年）.xlsx", "2021", "D '城镇常住人口(万人)' unmapped; nearest: pop_resident" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Inspect_EachRealShape_ShowsTheMappingTheOutcomeAndAManifestEntry(string file, string shape, string line)
    {
        var sheet = shape switch
        {
            "edition" => OfficialEdition(2014),
            "table" => PerTableWorkbook(),
            "panel" => FdiPanel("万美元", 1, 2011, 2013),
            "wide" => WideGdp(),
            "csmar" => Csmar(),
            _ => Edition2021(),
        };
        var book = new Workbook(file, "xlsx", null, [sheet]);
        var inspector = Inspector();
        var (text, entry) = inspector.Layouts(book, null);
        Assert.True(text.Contains(line, StringComparison.Ordinal), text);
        var outcome = inspector.Outcome(book, null);
        Assert.Contains("units matched", outcome, StringComparison.Ordinal);
        Assert.Equal(file, entry!.Path);
    }
}
