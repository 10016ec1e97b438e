using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Simulation;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Ingest;

namespace NQPF.Pipeline.Tests.Ingest;

/// <summary>
/// Property: whatever a yearbook file has become (bytes flipped, cut off, cells replaced by random text or numbers,
/// columns dropped or duplicated, rows shuffled; for .xlsx also a cell of the sheet XML rewritten), reading and
/// ingesting it either succeeds or fails with a domain error (<see cref="PipelineException"/>) whose message names
/// the file. No other exception, ever.
/// Seeds: the corpus's valid yearbooks and the first rows of committed data-raw files (UTF-8 BOM and GB18030 CSV,
/// .xlsx with scope sheets). Inputs come from CsCheck generators driven by explicitly seeded PCGs, one per case
/// (stream = case index, fixed seed), so a run is the same on every machine and a failing case is reproduced from its
/// index alone. The reader and the stage's per-file ingest run in-process (no runner, no ledger) on two threads.
/// Case count: 3,000 CSV + 1,500 .xlsx = 4,500 cases; measured 17 s + 10 s (Debug build, two threads, 2-core machine),
/// with about half of the cases ingested and half refused (each test also asserts that both outcomes are common).
/// </summary>
public sealed class IngestFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const ulong Seed = 20251129;
    private const int CsvCases = 3000;
    private const int XlsxCases = 1500;

    /// <summary>The parsed config/fields.json and roster, shared by every case (they are read-only).</summary>
    private static readonly Lazy<(FieldCatalog Catalog, CityRoster Roster)> Config = new(() =>
    {
        Sheet Table(string name) => new SheetReader().Read(name, File.ReadAllBytes(RepoPaths.Config(name)), new ReadLimits()).Sheets[0];
        return (FieldCatalog.FromJson(File.ReadAllBytes(RepoPaths.Config("fields.json"))), CityRoster.Load(Table("cities.csv"), Table("city_changes.csv")));
    });

    private static readonly string[] Tokens =
    [
        "", " ", "—", "…", "-", "NA", "#N/A", "#DIV/0!", "NaN", "Infinity", "-Infinity", "1e308", "1e999", "-1e308", "4.9e-324",
        "0", "-0", "１２３４", "1,234", "1,23,4", "12%", "1.2.3", "0x1F", "=1+1", "+SUM(A1)", "@cmd", "\"", "\"\"", "\r\n", "\n",
        "北京市", "北京", "110000", "110100", "唐山", "毕节地区", "三沙市", "不存在市", "河北省", "注：", "资料来源：", "城市", "年份",
        "地区生产总值(万元)", "地区生产总值(亿元)", "市辖区", "全市", "万人", "万美元", "2013", "2099", "二〇一三", "\uFEFF", "\0",
    ];

    private static readonly Gen<string> CellText = Gen.Frequency(
        (4, Gen.OneOf(Tokens)),
        (2, Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.String),
        (1, Gen.Char.Array[1, 60].Select(a => new string(a))));

    private sealed record SeedFile(string Name, byte[] Bytes, Encoding Encoding, IReadOnlyList<string?[]> Grid);

    /// <summary>The classic simulated layout of 2012–2013 (the default seed): a UTF-8-BOM CSV with a code column and
    /// thousands separators, a GB18030 CSV with a scope group row, a unit row and province rows. Written once per run.</summary>
    private static readonly Lazy<string> ClassicYearbooks = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "nqpf-fuzz-seeds-" + Guid.NewGuid().ToString("N")[..10]);
        SimulationRun.Run(new SimulateOptions(Path.Combine(dir, "raw"), SimulateOptions.DefaultSeed, 2012, 2013,
            Path.Combine(RepoPaths.Root, "config"), Path.Combine(dir, "truth"), SimLayout.Classic));
        return Path.Combine(dir, "raw");
    });

    private static readonly Lazy<IReadOnlyList<SeedFile>> CsvSeeds = new(() =>
    [
        CsvSeed(Path.Combine(MalformedCorpusTests.CorpusDir, "valid", "csy_2012.csv"), "csy_2012.csv", int.MaxValue),
        CsvSeed(Path.Combine(ClassicYearbooks.Value, "csy_2013.csv"), "csy_2013.csv", 12),
        CsvSeed(Path.Combine(ClassicYearbooks.Value, "csy_2012.csv"), "csy_2012.csv", 12),
    ]);

    private static readonly Lazy<IReadOnlyList<(string Name, byte[] Bytes)>> XlsxSeeds = new(() =>
    [
        ("csy_2014.xlsx", File.ReadAllBytes(Path.Combine(MalformedCorpusTests.CorpusDir, "valid", "csy_2014.xlsx"))),
    ]);

    /// <summary>The first <paramref name="lines"/> lines of a committed file, kept in its own encoding.</summary>
    private static SeedFile CsvSeed(string path, string name, int lines)
    {
        var all = File.ReadAllBytes(path);
        var (encoding, preamble, _) = TextEncodings.Detect(all);
        var text = string.Join("\n", encoding.GetString(all, preamble, all.Length - preamble).Split('\n').Take(lines));
        var bytes = all[..preamble].Concat(encoding.GetBytes(text)).ToArray();
        var grid = new SheetReader().Read(name, bytes, new ReadLimits()).Sheets[0].Rows.Select(r => r.Cells.ToArray()).ToList();
        return new SeedFile(name, bytes, encoding, grid);
    }

    [Fact]
    public void Ingest_MutatedCsvYearbooks_SucceedOrFailWithDomainErrorNamingFile() =>
        Run(CsvCases, CsvCase);

    [Fact]
    public void Ingest_MutatedXlsxYearbooks_SucceedOrFailWithDomainErrorNamingFile() =>
        Run(XlsxCases, XlsxCase);

    private void Run(int cases, Gen<(string Name, byte[] Bytes, string Mutation)> gen)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        int ingested = 0, refused = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var (name, bytes, mutation) = gen.Generate(new PCG((uint)i, Seed), null, out _);
            switch (Outcome(name, bytes))
            {
                case null:
                    Interlocked.Increment(ref ingested);
                    return;
                case "":
                    Interlocked.Increment(ref refused);
                    return;
                case var problem:
                    var saved = Path.Combine(Path.GetTempPath(), $"nqpf-fuzz-case-{i}-{name}");
                    File.WriteAllBytes(saved, bytes);
                    failures.Add($"case {i} ({mutation}; input saved to {saved}): {problem}");
                    return;
            }
        });
        output.WriteLine($"{cases} cases in {clock.Elapsed.TotalSeconds:F1} s: {ingested} ingested, {refused} refused with a domain error, {failures.Count} broke the property");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases} cases broke the property (rerun a case by its index: " +
            $"new PCG(index, {Seed})):\n" + string.Join("\n", failures.OrderBy(f => f, StringComparer.Ordinal).Take(10)));
        // Both outcomes must be common, or the mutations are too weak (all succeed) or too blunt (all refused).
        Assert.InRange(ingested, cases / 10, cases);
        Assert.InRange(refused, cases / 10, cases);
    }

    /// <summary>
    /// The reader and the stage's per-file ingest (the parse path of <see cref="IngestStage"/>) on one file: null when
    /// ingested, "" when refused with a domain error naming the file, otherwise what broke the property.
    /// </summary>
    private static string? Outcome(string name, byte[] bytes)
    {
        var (catalog, roster) = Config.Value;
        var options = new IngestOptions();
        try
        {
            var book = new SheetReader().Read(name, bytes, options.Limits);
            new FileIngester(catalog, roster, options).Ingest(book);
            return null;
        }
        catch (PipelineException e)
        {
            return e.Message.Contains(name, StringComparison.Ordinal) ? "" : $"{e.GetType().Name} not naming the file: {e.Message}";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
    }

    // ---- CSV mutations -------------------------------------------------------------------------------------------

    private static Gen<(string, byte[], string)> CsvCase =>
        from s in Gen.Int[0, CsvSeeds.Value.Count - 1]
        let seed = CsvSeeds.Value[s]
        from op in Gen.Int[0, 6]
        from result in op switch
        {
            0 => ByteFlips(seed.Bytes),
            1 => Truncate(seed.Bytes),
            2 => InsertBytes(seed.Bytes),
            3 => ReplaceCells(seed),
            4 => DropColumn(seed),
            5 => DuplicateColumn(seed),
            _ => ShuffleRows(seed),
        }
        select (seed.Name, result.Bytes, $"{seed.Name}: {result.What}");

    private static Gen<(byte[] Bytes, string What)> ByteFlips(byte[] bytes) =>
        from n in Gen.Int[1, 8]
        from at in Gen.Int[0, bytes.Length - 1].Array[n]
        from value in Gen.Byte.Array[n]
        select (Apply(bytes, b => { for (var k = 0; k < n; k++) b[at[k]] = value[k]; }), $"{n} byte(s) set at {string.Join(",", at)}");

    private static Gen<(byte[] Bytes, string What)> Truncate(byte[] bytes) =>
        Gen.Int[0, bytes.Length - 1].Select(n => (bytes[..n], $"cut to {n} bytes"));

    private static Gen<(byte[] Bytes, string What)> InsertBytes(byte[] bytes) =>
        from at in Gen.Int[0, bytes.Length]
        from extra in Gen.Byte.Array[1, 64]
        select (bytes[..at].Concat(extra).Concat(bytes[at..]).ToArray(), $"{extra.Length} byte(s) inserted at {at}");

    private static Gen<(byte[] Bytes, string What)> ReplaceCells(SeedFile seed) =>
        from n in Gen.Int[1, 6]
        from rows in Gen.Int[0, seed.Grid.Count - 1].Array[n]
        from cols in Gen.Int[0, 60].Array[n]
        from texts in CellText.Array[n]
        select (Write(seed, Copy(seed.Grid, g =>
        {
            for (var k = 0; k < n; k++)
            {
                var row = g[rows[k]];
                if (cols[k] >= row.Length)
                    Array.Resize(ref row, cols[k] + 1);
                row[cols[k]] = texts[k];
                g[rows[k]] = row;
            }
        })), $"{n} cell(s) replaced");

    private static Gen<(byte[] Bytes, string What)> DropColumn(SeedFile seed) =>
        Gen.Int[0, 40].Select(c => (Write(seed, Copy(seed.Grid, g =>
        {
            for (var r = 0; r < g.Count; r++)
                g[r] = [.. g[r].Where((_, i) => i != c)];
        })), $"column {c} dropped"));

    private static Gen<(byte[] Bytes, string What)> DuplicateColumn(SeedFile seed) =>
        Gen.Int[0, 40].Select(c => (Write(seed, Copy(seed.Grid, g =>
        {
            for (var r = 0; r < g.Count; r++)
                g[r] = c < g[r].Length ? [.. g[r].Take(c + 1), g[r][c], .. g[r].Skip(c + 1)] : g[r];
        })), $"column {c} duplicated"));

    private static Gen<(byte[] Bytes, string What)> ShuffleRows(SeedFile seed) =>
        from a in Gen.Int[0, seed.Grid.Count - 1]
        from b in Gen.Int[0, seed.Grid.Count - 1]
        from duplicate in Gen.Bool
        select (Write(seed, Copy(seed.Grid, g =>
        {
            if (duplicate)
                g.Insert(b, (string?[])g[a].Clone());
            else
                (g[a], g[b]) = (g[b], g[a]);
        })), duplicate ? $"row {a} repeated at {b}" : $"rows {a} and {b} swapped");

    private static byte[] Apply(byte[] bytes, Action<byte[]> change)
    {
        var copy = (byte[])bytes.Clone();
        change(copy);
        return copy;
    }

    private static List<string?[]> Copy(IReadOnlyList<string?[]> grid, Action<List<string?[]>> change)
    {
        var copy = grid.Select(r => (string?[])r.Clone()).ToList();
        change(copy);
        return copy;
    }

    /// <summary>Writes a grid as CSV in the seed's encoding (characters it cannot encode become '?').</summary>
    private static byte[] Write(SeedFile seed, List<string?[]> grid)
    {
        var sb = new StringBuilder();
        foreach (var row in grid)
        {
            sb.AppendJoin(',', row.Select(c => c is null ? "" : c.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c));
            sb.Append("\r\n");
        }
        var lenient = Encoding.GetEncoding(seed.Encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        return [.. seed.Encoding.GetPreamble().Length > 0 && seed.Bytes.AsSpan().StartsWith(seed.Encoding.GetPreamble()) ? seed.Encoding.GetPreamble() : [],
            .. lenient.GetBytes(sb.ToString())];
    }

    // ---- xlsx mutations ------------------------------------------------------------------------------------------

    private static Gen<(string, byte[], string)> XlsxCase =>
        from s in Gen.Int[0, XlsxSeeds.Value.Count - 1]
        let seed = XlsxSeeds.Value[s]
        from op in Gen.Int[0, 3]
        from result in op switch
        {
            0 => ByteFlips(seed.Bytes),
            1 => Truncate(seed.Bytes),
            2 => RewriteCell(seed.Bytes, escape: true),
            _ => RewriteCell(seed.Bytes, escape: false),
        }
        select (seed.Name, result.Bytes, $"{seed.Name}: {result.What}");

    /// <summary>
    /// Rewrites the n-th value (&lt;v&gt; or &lt;t&gt;) or cell reference (r="…") of a worksheet with random text; unescaped
    /// text may break the XML, which the reader must report as an unreadable workbook.
    /// </summary>
    private static Gen<(byte[] Bytes, string What)> RewriteCell(byte[] bytes, bool escape) =>
        from sheet in Gen.Int[1, 2]
        from pick in Gen.Int[0, 200]
        from reference in Gen.Bool
        from text in CellText
        select (Rezip(bytes, $"xl/worksheets/sheet{sheet}.xml", xml =>
        {
            var matches = (reference ? CellReference() : CellValueText()).Matches(xml);
            if (matches.Count == 0)
                return xml;
            var m = matches[pick % matches.Count];
            var value = escape ? System.Security.SecurityElement.Escape(text) : text;
            var x = m.Groups["x"];
            return xml[..x.Index] + value + xml[(x.Index + x.Length)..];
        }), $"sheet{sheet} {(reference ? "cell reference" : "value")} #{pick} := '{text}'{(escape ? "" : " (unescaped)")}");

    private static byte[] Rezip(byte[] package, string part, Func<string, string> change)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var read = new StreamReader(entry.Open(), Encoding.UTF8);
                var content = read.ReadToEnd();
                using var write = new StreamWriter(target.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
                write.Write(entry.FullName == part ? change(content) : content);
            }
        }
        return output.ToArray();
    }

    private static Regex CellValueText() => new("<(?:v|t)(?: [^>]*)?>(?<x>[^<]*)</(?:v|t)>", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static Regex CellReference() => new("<c r=\"(?<x>[^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1));
}
