using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>
/// Stage 01-ingest: reads every yearbook file of the raw folder (through the injected <see cref="ISheetReader"/>),
/// maps headers to the canonical fields of config/fields.json, rescales units, matches cities (config/cities.csv,
/// city_changes.csv) by code, name and alias by year, and returns the long panel, the growth targets, a per-file report
/// and the findings (tables), plus a Markdown report. Bad input fails with a <see cref="DataValidationException"/>
/// naming file/sheet/row/column (policy: <see cref="IngestOptions"/>). Raw files are only read.
/// </summary>
internal sealed class IngestStage(ISheetReader reader, IngestOptions options) : IStage
{
    public string Name => Datasets.Ingest.Stage;

    public int Version => 1;

    public string ConfigSection => IngestOptions.SectionName;

    public object Settings => options;

    public IReadOnlyList<string> Inputs => [];

    public IReadOnlyList<string> Outputs =>
        Datasets.Tables(Datasets.Ingest.Panel, Datasets.Ingest.Report, Datasets.Ingest.Findings, Datasets.Ingest.Targets);

    public IReadOnlyList<string> SourceGlobs => ["raw:**/*", "config:" + ConfigTables.FieldsFile, .. ConfigTables.RosterGlobs];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        options.Validate();
        // The runner hands over the run's parsed tables; a harness that builds the context itself gets them parsed here.
        var config = context.Config;
        var catalog = config.Fields;
        var roster = config.Roster;
        var raw = context.Sources.Where(s => s.Root == "raw").OrderBy(s => s.RelativePath, StringComparer.Ordinal).ToList();
        var manifestFile = raw.FirstOrDefault(r => r.RelativePath == SourceManifest.FileName);
        var manifest = manifestFile is null ? SourceManifest.Empty : SourceManifest.FromJson(manifestFile.Content);
        if (manifestFile is not null)
            raw.Remove(manifestFile);
        var merger = new SourceMerger(options.SourceTolerance, manifest);
        var targets = new List<TargetRow>();
        var findings = new List<Finding>();
        var reports = new List<FileReport>();
        var errors = new List<string>();
        // Files are read and parsed side by side (each with its own ingester: an ingester keeps per-file state), each
        // counted in the progress as it finishes; what they yield is then merged one file after the other in path
        // order, exactly as a sequential read would.
        var read = 0;
        var progressGate = new Lock();
        context.Progress.Report(new StageProgress(0, raw.Count, "reading"));
        var reads = Concurrently.Map(raw, source =>
        {
            var outcome = Accepted(source)
                ? ReadFile(source, new FileIngester(catalog, roster, options), manifest.Match(source.RelativePath)?.Entry)
                : default;
            lock (progressGate) context.Progress.Report(new StageProgress(++read, raw.Count, source.RelativePath));
            return outcome;
        }, cancellationToken);
        Merge(context, raw, reads, merger, targets, findings, reports, errors);
        if (errors.Count > 0 && options.OnBadFile == BadFilePolicy.Fail)
            throw new DataValidationException(errors.Count == 1 ? errors[0] : BadFiles(errors));
        merger.Summarise();
        findings.AddRange(merger.Findings);
        var panel = merger.Panel;
        if (panel.Count == 0)
        {
            throw new DataValidationException(raw.Count == 0
                ? "The raw folder holds no files: nothing to ingest."
                : $"No yearbook values were read from the raw folder ({string.Join(", ", raw.Select(r => r.RelativePath))})" +
                  (errors.Count > 0 ? $"; {errors.Count} file(s) skipped as unreadable: {BadFiles(errors)}" : "."));
        }
        context.Progress.Report(new StageProgress(raw.Count, raw.Count, "done"));
        var tables = new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["panel"] = IngestFrames.Panel(panel),
            ["report"] = IngestFrames.Report(reports),
            ["findings"] = IngestFrames.Findings(findings),
            ["targets"] = IngestFrames.Targets(targets),
        };
        var markdown = IngestReportDocument.Render(reports, findings, panel.Count, targets.Count);
        return new StageResult(tables, [new StageDocument("ingest-report.md", Encoding.UTF8.GetBytes(markdown))]);
    }

    /// <summary>What each file yielded, in path order: its panel into the merger, its targets, findings and report, or its error.</summary>
    private void Merge(StageContext context, List<SourceFile> raw, (FileOutcome? Outcome, string? Error)[] reads, SourceMerger merger,
        List<TargetRow> targets, List<Finding> findings, List<FileReport> reports, List<string> errors)
    {
        for (var i = 0; i < raw.Count; i++)
        {
            var source = raw[i];
            if (!Accepted(source))
            {
                findings.Add(new(source.RelativePath, "", 0, "", "", FindingKind.IgnoredFile,
                    $"not one of the extensions {string.Join(" ", options.Extensions)} (Ingest:Extensions)"));
                continue;
            }
            if (reads[i] is not { Outcome: { } outcome })
            {
                errors.Add(reads[i].Error!);
                if (options.OnBadFile == BadFilePolicy.Skip)
                    findings.Add(new(source.RelativePath, "", 0, "", "", FindingKind.BadFileSkipped, "file skipped (Ingest:OnBadFile=Skip): " + reads[i].Error));
                continue;
            }
            merger.Add(outcome.Panel);
            targets.AddRange(outcome.Targets);
            findings.AddRange(outcome.Findings);
            reports.Add(outcome.Report);
            context.Logger.LogInformation("ingest: {File}: {Rows} data rows, {Values} values, {Cities} units matched",
                source.RelativePath, outcome.Report.DataRows, outcome.Report.ValuesParsed, outcome.Report.CitiesMatched);
        }
    }

    private bool Accepted(SourceFile source) => options.Extensions.Contains(Path.GetExtension(source.RelativePath).ToLowerInvariant());

    /// <summary>Reads and ingests one file; a file that cannot be read yields its error (listed by the caller, and with
    /// Ingest:OnBadFile=Skip in the findings) so that every file is read and every problem reported in one run.</summary>
    private (FileOutcome? Outcome, string? Error) ReadFile(SourceFile source, FileIngester ingester, ManifestEntry? entry)
    {
        try
        {
            return (ingester.Ingest(reader.Read(source.RelativePath, source.Content, options.Limits), entry), null);
        }
        catch (DataValidationException e)
        {
            return (null, e.Message);
        }
    }

    private static string BadFiles(List<string> errors) =>
        $"{errors.Count} files could not be ingested (every file was read; fix them or set Ingest:OnBadFile=Skip to go on without them): " +
        string.Join(" ", errors.Select((e, i) => $"({i + 1}) {e}"));
}

/// <summary>Frames of the ingest outputs (shared column names: <see cref="Columns"/>).</summary>
internal static class IngestFrames
{
    public static Frame Panel(IReadOnlyList<PanelRow> rows) => new(
        new StringColumn("city_code", rows.Select(r => (string?)r.CityCode).ToArray()),
        new LongColumn("year", rows.Select(r => (long)r.Year).ToArray()),
        new StringColumn("field", rows.Select(r => (string?)r.Field).ToArray()),
        new DoubleColumn("value", rows.Select(r => r.Value).ToArray()),
        new StringColumn("unit", rows.Select(r => (string?)r.Unit).ToArray()),
        new StringColumn("printed_unit", rows.Select(r => (string?)r.PrintedUnit).ToArray()),
        new StringColumn("source_file", rows.Select(r => (string?)r.SourceFile).ToArray()),
        new StringColumn("sheet", rows.Select(r => (string?)r.Sheet).ToArray()),
        new LongColumn("row", rows.Select(r => (long)r.Row).ToArray()),
        new StringColumn("column", rows.Select(r => (string?)r.Column).ToArray()));

    public static Frame Findings(IReadOnlyList<Finding> rows) => new(
        new StringColumn("file", rows.Select(r => (string?)r.File).ToArray()),
        new StringColumn("sheet", rows.Select(r => (string?)r.Sheet).ToArray()),
        new LongColumn("row", rows.Select(r => (long)r.Row).ToArray()),
        new StringColumn("column", rows.Select(r => (string?)r.Column).ToArray()),
        new StringColumn("city", rows.Select(r => (string?)r.City).ToArray()),
        new StringColumn("kind", rows.Select(r => (string?)r.Kind).ToArray()),
        new StringColumn("detail", rows.Select(r => (string?)r.Detail).ToArray()));

    public static Frame Targets(IReadOnlyList<TargetRow> rows) => new(
        new StringColumn("city_code", rows.Select(r => (string?)r.CityCode).ToArray()),
        new LongColumn("year", rows.Select(r => (long)r.Year).ToArray()),
        new DoubleColumn("growth_target", rows.Select(r => r.GrowthTarget).ToArray()),
        new StringColumn("wording", rows.Select(r => (string?)r.Wording).ToArray()),
        new StringColumn("level", rows.Select(r => (string?)r.Level).ToArray()),
        new StringColumn("name", rows.Select(r => (string?)r.Name).ToArray()),
        new StringColumn("source_file", rows.Select(r => (string?)r.SourceFile).ToArray()),
        new LongColumn("row", rows.Select(r => (long)r.Row).ToArray()));

    public static Frame Report(IReadOnlyList<FileReport> rows)
    {
        var columns = new List<Column>();
        foreach (var p in typeof(FileReport).GetProperties())
        {
            var name = Snake(p.Name);
            if (p.PropertyType == typeof(int))
                columns.Add(new LongColumn(name, rows.Select(r => (long)(int)p.GetValue(r)!).ToArray()));
            else
                columns.Add(new StringColumn(name, rows.Select(r => (string?)p.GetValue(r)).ToArray()));
        }
        return new Frame(columns);
    }

    private static string Snake(string pascal)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}

/// <summary>The Markdown ingest report: one section per file with every quirk met and how it was handled.</summary>
internal static class IngestReportDocument
{
    private static readonly string[] ReportedKinds =
    [
        FindingKind.YearSource, FindingKind.TitleRows, FindingKind.SectionRow, FindingKind.ScopeRow, FindingKind.UnitRow,
        FindingKind.ScopeNotRead, FindingKind.ScaleConverted, FindingKind.TotalRow, FindingKind.DuplicateDropped,
        FindingKind.UnknownCity, FindingKind.Unparseable, FindingKind.OutOfRange, FindingKind.EmptySheet, FindingKind.NoHeaderSheet,
        FindingKind.SourceOverlap, FindingKind.SourceDisagreement,
    ];

    public static string Render(IReadOnlyList<FileReport> reports, IReadOnlyList<Finding> findings, int values, int targets)
    {
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L("# Ingest report");
        L();
        L(F($"{reports.Count} file(s) read: {values} panel values, {targets} growth targets, {findings.Count} findings."));
        L();
        L("| file | kind | year | format | encoding | header | data rows | units matched | in sample | unknown | values | missing (markers) | thousands sep. | unparseable | out of range | duplicates dropped |");
        L("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in reports)
            L(F($"| {r.File} | {r.Kind} | {r.Year} | {r.Format} | {r.Encoding} | {r.HeaderRows} | {r.DataRows} | {r.CitiesMatched} | {r.InSampleCities} | {r.UnknownCities} | {r.ValuesParsed} | {r.MissingCells} ({r.MissingMarkers}) | {r.ThousandsSeparatorCells} | {r.UnparseableCells} | {r.OutOfRangeCells} | {r.DuplicatesDropped} |"));
        L();
        L("## Quirks handled");
        foreach (var r in reports)
        {
            L();
            L($"### {r.File}");
            if (r.Rescaled.Length > 0) L($"- units rescaled: {r.Rescaled}");
            if (r.NamesMatchedByAlias.Length > 0) L($"- names matched by alias / former name: {r.NamesMatchedByAlias}");
            if (r.NamesMatchedWithoutSuffix > 0) L(F($"- {r.NamesMatchedWithoutSuffix} names printed without their suffix (北京 for 北京市) matched"));
            if (r.OutOfSampleUnits.Length > 0) L($"- out-of-sample units (kept in the panel, dropped by the clean stage's sample rule): {r.OutOfSampleUnits}");
            if (r.UnmappedHeaders.Length > 0) L($"- unmapped headers: {r.UnmappedHeaders}");
            if (r.ProvinceRows > 0) L(F($"- {r.ProvinceRows} province heading rows skipped"));
            if (r.FootnoteRows > 0) L(F($"- {r.FootnoteRows} footnote rows skipped"));
            foreach (var kind in ReportedKinds)
            {
                var hits = findings.Where(f => f.File == r.File && f.Kind == kind).ToList();
                if (hits.Count > 0)
                    L(F($"- {kind}: {hits.Count} (e.g. sheet '{hits[0].Sheet}' row {hits[0].Row}: {hits[0].Detail})"));
            }
        }
        var skipped = findings.Where(f => f.Kind == FindingKind.BadFileSkipped).ToList();
        if (skipped.Count > 0)
        {
            L();
            L("## Files skipped (Ingest:OnBadFile=Skip)");
            foreach (var f in skipped)
                L($"- {f.File}: {f.Detail}");
        }
        var ignored = findings.Where(f => f.Kind == FindingKind.IgnoredFile).ToList();
        if (ignored.Count > 0)
        {
            L();
            L("Ignored files: " + string.Join(", ", ignored.Select(f => f.File)));
        }
        return sb.ToString();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
