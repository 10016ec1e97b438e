using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NQPF.Econometrics.CompositeIndex;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Hosting;
using NQPF.Stages;
using NQPF.Stages.Analysis;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>entropy --data FILE.csv --columns a,b,c --directions +,+,- [--shift A] [--per-year --time year] [--unshifted]
/// [--times100] [--json]</c>: entropy weights and scores of any table, for economists who build other indices.
/// Defaults: global min–max over all rows, shift 0.0001, scores on the shifted values. With <c>--json</c>:
/// <c>{"settings": {…}, "weights": [{"column", "weight", "entropy", "divergence"}], "scores": [one per input row, in order]}</c>;
/// with <c>--per-year</c> every weight also carries its "year". A blank or non-numeric cell is an error naming the
/// file row and column; a constant column gets weight 0 (reported).
/// </summary>
internal static class EntropyCommand
{
    public static Command Create(CliContext cli)
    {
        var data = new Option<string>("--data") { Description = "CSV file (UTF-8 or GB18030) with a header row.", Required = true };
        var columns = new Option<string>("--columns") { Description = "Indicator columns, comma-separated.", Required = true };
        var directions = new Option<string>("--directions") { Description = "One + or - per column, comma-separated.", Required = true };
        var shift = new Option<double>("--shift") { Description = "Shift constant A added before logs.", DefaultValueFactory = _ => 1e-4 };
        var perYear = new Option<bool>("--per-year") { Description = "Normalise and weight within each value of --time." };
        var time = new Option<string?>("--time") { Description = "Time column for --per-year (integer values)." };
        var unshifted = new Option<bool>("--unshifted") { Description = "Score on x' instead of x' + A." };
        var times100 = new Option<bool>("--times100") { Description = "Multiply scores by 100." };
        var json = new Option<bool>("--json") { Description = "Print JSON: settings, weights, scores." };
        var command = new Command("entropy", "Entropy-weight index of the columns of a CSV file.")
        {
            data, columns, directions, shift, perYear, time, unshifted, times100, json,
        };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var path = Path.GetFullPath(parse.GetRequiredValue(data));
            var names = Split(parse.GetRequiredValue(columns));
            var indicators = Indicators(names, Split(parse.GetRequiredValue(directions)));
            var timeColumn = parse.GetValue(time);
            if (parse.GetValue(perYear) && string.IsNullOrWhiteSpace(timeColumn))
                throw new UsageException("--per-year needs --time COLUMN.");
            var options = Options(parse.GetValue(shift), parse.GetValue(unshifted), parse.GetValue(times100));

            var bytes = await File.ReadAllBytesAsync(path, token);
            var sheet = services.GetRequiredService<ISheetReader>().Read(Path.GetFileName(path), bytes, new ReadLimits()).Sheets[0];
            var required = parse.GetValue(perYear) ? [.. names, timeColumn!] : names;
            var records = SheetTable.Records(sheet, Path.GetFileName(path), required);
            var matrix = names.Select(n => records.Select(r => Number(r, n, path)).ToArray()).ToArray();
            var groups = parse.GetValue(perYear) ? records.Select(r => Year(r, timeColumn!, path)).ToArray() : null;

            var result = EntropyAnalysis.Run(indicators, matrix, groups, options, path);
            var output = parse.GetValue(json) ? Json(result, options, groups is not null) : Text(result, options);
            await cli.Out.WriteAsync(output);
            await cli.Out.FlushAsync(token);
            return ExitCodes.Ok;
        }, services => services.TryAddSingleton<ISheetReader, SheetReader>()));
        return command;
    }

    private static IReadOnlyList<Indicator> Indicators(string[] names, string[] dirs)
    {
        if (names.Length != dirs.Length)
            throw new UsageException($"--columns has {names.Length} names but --directions has {dirs.Length} signs.");
        try
        {
            return [.. names.Zip(dirs, (n, d) => new Indicator(n, Indicator.ParseDirection(d)))];
        }
        catch (CompositeIndexException e)
        {
            throw new UsageException("--directions: " + e.Message);
        }
    }

    private static EntropyOptions Options(double shift, bool unshifted, bool times100)
    {
        var options = new EntropyOptions
        {
            Shift = shift,
            ScoreBasis = unshifted ? ScoreBasis.Unshifted : ScoreBasis.Shifted,
            Times100 = times100,
        };
        try
        {
            options.Validate();
        }
        catch (CompositeIndexException e)
        {
            throw new UsageException("--shift: " + e.Message);
        }
        return options;
    }

    private static string Json(EntropyResult r, EntropyOptions o, bool perYear)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("settings");
            w.WriteString("normalisation", perYear ? "per-year" : "global");
            w.WriteNumber("shift", o.Shift);
            w.WriteString("score_basis", o.ScoreBasis == ScoreBasis.Shifted ? "shifted" : "unshifted");
            w.WriteBoolean("times100", o.Times100);
            w.WriteNumber("rows", r.Rows);
            w.WriteEndObject();
            w.WriteStartArray("weights");
            foreach (var row in r.Weights)
            {
                w.WriteStartObject();
                if (row.Year is { } y) w.WriteNumber("year", y);
                w.WriteString("column", row.Column);
                w.WriteNumber("weight", row.Weight);
                w.WriteNumber("entropy", row.Entropy);
                w.WriteNumber("divergence", row.Divergence);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("scores");
            foreach (var s in r.Scores) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Text(EntropyResult r, EntropyOptions o)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"entropy weights: {r.Rows} rows, shift {o.Shift.ToString("R", inv)}, scores on {(o.ScoreBasis == ScoreBasis.Shifted ? "x' + A" : "x'")}{(o.Times100 ? " ×100" : "")}\n");
        text.Append(r.Weights.Any(w => w.Year is not null) ? "year  " : "").Append("column                 entropy  divergence    weight\n");
        foreach (var w in r.Weights)
        {
            if (w.Year is { } y) text.Append(y.ToString(inv).PadRight(6));
            text.Append(inv, $"{w.Column,-20} {w.Entropy,10:F6} {w.Divergence,11:F6} {w.Weight,9:F6}{(w.Constant ? "  (constant: weight 0)" : "")}\n");
        }
        text.Append("row,score\n");
        for (var i = 0; i < r.Scores.Length; i++)
            text.Append(inv, $"{i + 1},{r.Scores[i].ToString("R", inv)}\n");
        return text.ToString();
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static double Number(IReadOnlyDictionary<string, string> r, string column, string path) =>
        double.TryParse(r[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
            : throw new DataValidationException(
                $"{path}: row {r["__row"]}, column '{column}': '{r[column]}' is {(r[column].Length == 0 ? "missing" : "not a number")} (impute or drop it first).");

    private static long Year(IReadOnlyDictionary<string, string> r, string column, string path) =>
        long.TryParse(r[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v
            : throw new DataValidationException($"{path}: row {r["__row"]}, column '{column}': '{r[column]}' is not an integer period.");
}
