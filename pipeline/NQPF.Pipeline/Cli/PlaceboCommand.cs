using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NQPF.Econometrics;
using NQPF.Econometrics.Placebo;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Hosting;
using NQPF.Stages.Analysis;
using NQPF.Stages.Robustness;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>placebo --data FILE --y Y --x X1,… --fe F1,F2 --cluster C --unit U --time T --cohort G --type unit|timing|mixed
/// --draws N --seed S [--assignments FILE] [--json]</c>: placebo draws of the TWFE coefficient on
/// treat_post = 1[G &gt; 0 and T ≥ G] (fast path: y, X and the FE are demeaned once; per draw only the fake
/// treatment). With <c>--assignments</c> (one row per draw, cohort of unit k in column X&lt;k&gt;, as
/// tests/reference/expected/timing_permutations.csv) it runs exactly those draws, so the per-draw coefficients can be
/// compared with another tool's; --type, --draws and --seed are then ignored.
/// </summary>
internal static class PlaceboCommand
{
    public static Command Create(CliContext cli)
    {
        var data = new Option<string>("--data") { Description = "Panel table (.csv, .xlsx, .xls or .parquet).", Required = true };
        var y = new Option<string>("--y") { Description = "Outcome column.", Required = true };
        var x = new Option<string?>("--x") { Description = "Controls, comma separated." };
        var fe = new Option<string>("--fe") { Description = "Fixed effects to absorb, comma separated (e.g. unit,year).", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "Cluster variable.", Required = true };
        var unit = new Option<string>("--unit") { Description = "Unit identifier (whose cohorts are reassigned).", Required = true };
        var time = new Option<string>("--time") { Description = "Time variable (years).", Required = true };
        var cohort = new Option<string>("--cohort") { Description = "First treated period per unit (0 or empty = never).", Required = true };
        var type = new Option<string>("--type") { Description = "unit, timing or mixed.", DefaultValueFactory = _ => "unit" };
        type.AcceptOnlyFromAmong("unit", "timing", "mixed");
        var draws = new Option<int>("--draws") { Description = "Number of draws.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<long>("--seed") { Description = "Seed (draw b depends only on seed and b).", DefaultValueFactory = _ => 1 };
        var assignments = new Option<string?>("--assignments") { Description = "Explicit draws: one row per draw, unit k's cohort in column X<k>." };
        var json = new Option<bool>("--json") { Description = "Print JSON (every draw) instead of text." };
        var command = new Command("placebo", "Placebo (permutation) test of a TWFE treatment effect on a panel data file.")
        {
            data, y, x, fe, cluster, unit, time, cohort, type, draws, seed, assignments, json,
        };
        command.SetAction((parse, ct) => cli.InvokeWithoutHostAsync(parse, ct, async token =>
        {
            if (parse.GetValue(draws) < 1) throw new UsageException("--draws must be at least 1.");
            var spec = new PlaceboAnalysisSpec(parse.GetRequiredValue(y), CommaList.Parse(parse.GetValue(x)), CommaList.Parse(parse.GetRequiredValue(fe)),
                parse.GetRequiredValue(cluster), parse.GetRequiredValue(unit), parse.GetRequiredValue(time), parse.GetRequiredValue(cohort),
                Enum.Parse<PlaceboKind>(parse.GetRequiredValue(type), ignoreCase: true), parse.GetValue(draws), parse.GetValue(seed));
            string[] used = [spec.Outcome, .. spec.Controls, .. spec.FixedEffects, spec.Cluster, spec.Unit, spec.Time, spec.Cohort];
            var frame = await TableFiles.ReadAsync(Path.GetFullPath(parse.GetRequiredValue(data)), token, used,
                [spec.Outcome, .. spec.Controls, spec.Time, spec.Cohort]);
            AssignmentTable? explicitDraws = null;
            if (parse.GetValue(assignments) is { } file)
            {
                var path = Path.GetFullPath(file);
                explicitDraws = new AssignmentTable(await TableFiles.ReadAsync(path, token), Path.GetFileName(path));
            }
            var result = await Task.Run(() => ModelErrors.OnFile(parse.GetRequiredValue(data), "placebo",
                () => PlaceboAnalysis.Run(frame, spec, explicitDraws, token)), token);
            await cli.Out.WriteAsync(parse.GetValue(json) ? ToJson(spec, result, explicitDraws is not null).ToJsonString(JsonOptions) + Environment.NewLine
                : Describe(spec, result, explicitDraws is not null));
            await cli.Out.FlushAsync(token);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };


    private static string Describe(PlaceboAnalysisSpec spec, PlaceboAnalysisResult r, bool explicitDraws)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = r.Summary;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Placebo of treat_post = 1[{spec.Cohort} > 0 and {spec.Time} >= {spec.Cohort}] in {spec.Outcome} ~ treat_post{string.Concat(spec.Controls.Select(c => " + " + c))} | {string.Join(" + ", spec.FixedEffects)}");
        sb.AppendLine(explicitDraws
            ? string.Create(inv, $"Draws: {s.Draws + s.Failed} given by --assignments")
            : string.Create(inv, $"Draws: {spec.Draws} {spec.Kind.ToString().ToLowerInvariant()} placebos, seed {spec.Seed}"));
        sb.AppendLine(inv, $"N = {r.N}, units = {r.Units}; {r.Recipe}");
        sb.AppendLine(inv, $"Real estimate {r.Real.Estimate:G8} (se {r.Real.Se:G6}, t {r.Real.T:F3}, p {r.Real.P:G4})");
        sb.AppendLine(inv, $"Empirical p (two-sided, (1 + #|b*| >= |b|)/(1 + B)) = {s.PValue:G6} with B = {s.Draws} ({s.AsExtreme} as extreme, {s.Failed} collinear draws left out)");
        sb.AppendLine(inv, $"Placebo coefficients: mean {s.Mean:G6}, sd {s.Sd:G6}, 2.5% {s.Q025:G6}, median {s.Q500:G6}, 97.5% {s.Q975:G6}; share with p < 0.05: {s.ShareSignificant:F3}");
        sb.AppendLine(inv, $"{"draw",8}{"estimate",22}{"se",14}{"t",10}{"p",12}");
        foreach (var d in r.Draws)
            sb.AppendLine(inv, $"{d.Draw + 1,8}{d.Estimate,22:R}{d.Se,14:G6}{d.T,10:F3}{d.P,12:G4}");
        return sb.ToString();
    }

    private static JsonObject ToJson(PlaceboAnalysisSpec spec, PlaceboAnalysisResult r, bool explicitDraws)
    {
        var s = r.Summary;
        return new JsonObject
        {
            ["outcome"] = spec.Outcome,
            ["type"] = explicitDraws ? "assignments" : spec.Kind.ToString().ToLowerInvariant(),
            ["seed"] = explicitDraws ? null : spec.Seed,
            ["n"] = r.N,
            ["units"] = r.Units,
            ["recipe"] = r.Recipe,
            ["real"] = Draw(r.Real),
            ["summary"] = new JsonObject
            {
                ["draws"] = s.Draws,
                ["failed"] = s.Failed,
                ["as_extreme"] = s.AsExtreme,
                ["p_value"] = Number(s.PValue),
                ["mean"] = Number(s.Mean),
                ["sd"] = Number(s.Sd),
                ["q025"] = Number(s.Q025),
                ["q500"] = Number(s.Q500),
                ["q975"] = Number(s.Q975),
                ["share_significant"] = Number(s.ShareSignificant),
            },
            ["draws"] = new JsonArray([.. r.Draws.Select(d => (JsonNode)Draw(d))]),
        };
    }

    /// <summary>A draw; "draw" is 1-based like the rows of an assignments file (0 for the real estimate).</summary>
    private static JsonObject Draw(PlaceboDraw d) => new()
    {
        ["draw"] = d.Draw + 1,
        ["estimate"] = Number(d.Estimate),
        ["se"] = Number(d.Se),
        ["t"] = Number(d.T),
        ["p"] = Number(d.P),
    };

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
