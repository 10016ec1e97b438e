using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Hosting;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Ingest;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>inspect FILE… [--manifest OUT]</c>: prints how ingest would read each file (sheet, header rows, each column →
/// field with scope, unit and its evidence, unmapped columns with their nearest fields, cities matched and unmatched,
/// years), applying data-raw/sources.json when the file is listed there; <c>--manifest</c> writes a source manifest to
/// edit and put in the raw folder as sources.json. Exit 1 when a file could not be read as it is.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(CliContext cli)
    {
        var files = new Argument<string[]>("files") { Description = "Files to inspect (xlsx, xls, csv).", Arity = ArgumentArity.OneOrMore };
        var manifest = new Option<string?>("--manifest") { Description = "Write a source manifest (JSON) for the files to this path." };
        var command = new Command("inspect", "Show how each file would be ingested, and optionally write a source manifest.") { files, manifest };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var (inspector, given) = Load(services);
            var entries = new List<ManifestEntry>();
            var failed = false;
            foreach (var path in parse.GetValue(files) ?? [])
            {
                token.ThrowIfCancellationRequested();
                var (text, entry, ok) = InspectOne(inspector, given, services.GetRequiredService<PipelinePaths>().RawDir, path,
                    services.GetRequiredService<IngestOptions>().Limits);
                await cli.Out.WriteAsync(text);
                failed |= !ok;
                if (entry is not null)
                    entries.Add(entry);
            }
            if (parse.GetValue(manifest) is { } target)
            {
                await File.WriteAllTextAsync(target, SourceManifest.ToJson(entries) + "\n", token);
                await cli.Out.WriteLineAsync($"manifest: {target} ({entries.Count} file(s)); edit it and copy it to the raw folder as {SourceManifest.FileName}");
            }
            return failed ? ExitCodes.Failed : ExitCodes.Ok;
        }));
        return command;
    }

    private static (FileInspector Inspector, SourceManifest Manifest) Load(IServiceProvider services)
    {
        var config = services.GetRequiredService<HostLocation>().ConfigDir;
        var options = services.GetRequiredService<IngestOptions>();
        var reader = new SheetReader();
        Sheet Table(string name) => reader.Read(name, File.ReadAllBytes(Path.Combine(config, name)), options.Limits).Sheets[0];
        var catalog = FieldCatalog.FromJson(File.ReadAllBytes(Path.Combine(config, "fields.json")));
        var counties = File.Exists(Path.Combine(config, ConfigTables.CountyUnitsFile)) ? Table(ConfigTables.CountyUnitsFile) : null;
        var roster = CityRoster.Load(Table("cities.csv"), Table("city_changes.csv"), counties);
        var manifestPath = Path.Combine(services.GetRequiredService<PipelinePaths>().RawDir, SourceManifest.FileName);
        var manifest = File.Exists(manifestPath) ? SourceManifest.FromJson(File.ReadAllBytes(manifestPath)) : SourceManifest.Empty;
        return (new FileInspector(catalog, roster, options), manifest);
    }

    /// <summary>One file's report. A file that cannot be read as it is gets the reason ingest would give, not a crash.</summary>
    private static (string Text, ManifestEntry? Entry, bool Ok) InspectOne(FileInspector inspector, SourceManifest manifest, string rawDir,
        string path, ReadLimits limits)
    {
        var full = Path.GetFullPath(path);
        var inRaw = full.StartsWith(Path.GetFullPath(rawDir) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var name = (inRaw ? Path.GetRelativePath(rawDir, full) : Path.GetFileName(full)).Replace('\\', '/');
        var head = $"== {name}\n";
        var given = manifest.Match(name)?.Entry;
        var text = head;
        ManifestEntry? entry = null;
        try
        {
            var book = new SheetReader().Read(name, File.ReadAllBytes(full), limits);
            text += $"  format {book.Format}{(book.Encoding is { } e ? " (" + e + ")" : "")}, {book.Sheets.Count} sheet(s){(given is null ? "" : ", as sources.json says")}\n";
            (var layouts, entry) = inspector.Layouts(book, given);
            text += layouts;
            return (text + inspector.Outcome(book, given), entry, true);
        }
        catch (Exception e) when (e is DataValidationException or IOException or UnauthorizedAccessException)
        {
            // Reported, not swallowed: the text says why ingest would stop and the verb exits 1.
            return (text + "  ingest would stop: " + e.Message + "\n", entry, false);
        }
    }
}
