using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NQPF.Econometrics;
using NQPF.Econometrics.WildBootstrap;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Hosting;
using NQPF.Stages.Analysis;
using NQPF.Stages.Estimate;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>estimate --data FILE --y Y --x X1,X2 [--fe F1,F2] [--cluster C1[,C2]] [--vcov iid|hetero|cluster]
/// [--ssc default|full|none] [--json]</c>: one OLS with fixed effects absorbed, on any CSV/Excel/Parquet table.
/// The vcov follows <see cref="VcovRule"/>: clustered when --cluster is given, else iid; --vcov cluster without --cluster clusters by the
/// first FE (as fixest does).
/// </summary>
internal static class EstimateCommand
{
    public static Command Create(CliContext cli)
    {
        var data = new Option<string>("--data") { Description = "Table to read (.csv, .xlsx, .xls or .parquet).", Required = true };
        var y = new Option<string>("--y") { Description = "Outcome column.", Required = true };
        var x = new Option<string>("--x") { Description = "Regressors, comma separated (the first must be estimable).", Required = true };
        var fe = new Option<string?>("--fe") { Description = "Fixed effects to absorb, comma separated." };
        var cluster = new Option<string?>("--cluster") { Description = "One or two cluster variables, comma separated." };
        var vcov = new Option<string?>("--vcov") { Description = "iid, hetero or cluster." };
        vcov.AcceptOnlyFromAmong("iid", "hetero", "cluster");
        var ssc = new Option<string>("--ssc") { Description = "Small-sample correction: default (fixest/reghdfe), full (LSDV) or none.", DefaultValueFactory = _ => "default" };
        ssc.AcceptOnlyFromAmong("default", "full", "none");
        var weights = new Option<string?>("--weights") { Description = "Column of observation weights (weighted least squares, as lm/feols weights =)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var wild = new WildBootstrapOptionSet();
        var command = new Command("estimate", "Estimate a linear model with fixed effects and robust/clustered SEs on a data file.")
        {
            data, y, x, fe, cluster, vcov, ssc, weights, json, wild.Draws, wild.WeightsType, wild.Seed,
        };
        command.SetAction((parse, ct) => cli.InvokeWithoutHostAsync(parse, ct, async token =>
        {
            var fixedEffects = CommaList.Parse(parse.GetValue(fe));
            var (kind, clusters, error) = VcovRule.Resolve(parse.GetValue(vcov), CommaList.Parse(parse.GetValue(cluster)), fixedEffects);
            if (error is not null) throw new UsageException(error);
            var regressors = CommaList.Parse(parse.GetValue(x));
            if (regressors.Count == 0) throw new UsageException("--x needs at least one regressor.");
            string[] used = [parse.GetRequiredValue(y), .. regressors, .. fixedEffects, .. clusters, .. parse.GetValue(weights) is { } w ? [w] : Array.Empty<string>()];
            var frame = await TableFiles.ReadAsync(Path.GetFullPath(parse.GetRequiredValue(data)), token, used,
                [parse.GetRequiredValue(y), .. regressors, .. parse.GetValue(weights) is { } wn ? [wn] : Array.Empty<string>()]);
            var spec = new ModelSpec(parse.GetRequiredValue(y), regressors, fixedEffects, clusters, kind, parse.GetValue(ssc) switch
            {
                "full" => SmallSample.Full,
                "none" => SmallSample.None,
                _ => SmallSample.Default,
            }, Weights: parse.GetValue(weights));
            var file = parse.GetRequiredValue(data);
            var result = ModelErrors.OnFile(file, "estimate", () => FrameRegression.Estimate(frame, spec));
            var boot = wild.Options(parse) is { } wildOptions
                ? ModelErrors.OnFile(file, "wild bootstrap", () => FrameRegression.WildBootstrap(frame, spec, result, wildOptions))
                : null;
            await cli.Out.WriteAsync(parse.GetValue(json)
                ? WildBootstrapOptionSet.AddTo(ToJson(result), boot).ToJsonString(JsonOptions) + Environment.NewLine
                : result.Describe() + WildBootstrapOptionSet.Describe(boot));
            await cli.Out.FlushAsync(token);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };


    /// <summary>{n, r2, r2_within, vcov {type, clusters, cluster_by, K, factor, t_df, ssc, recipe}, coefficients [...], ...}; NaN → null.</summary>
    internal static JsonObject ToJson(RegressionResult result)
    {
        var fit = result.Fit;
        var recipe = result.Vcov.Recipe;
        var coefficients = new JsonArray();
        foreach (var c in result.Coefficients)
        {
            coefficients.Add(new JsonObject
            {
                ["term"] = c.Term,
                ["estimate"] = Number(c.Estimate),
                ["se"] = Number(c.Se),
                ["t"] = Number(c.T),
                ["p"] = Number(c.P),
                ["ci_low"] = Number(c.CiLow),
                ["ci_high"] = Number(c.CiHigh),
            });
        }
        return new JsonObject
        {
            ["outcome"] = fit.OutcomeName,
            ["n"] = fit.N,
            ["weights"] = fit.WeightsName,
            ["r2"] = Number(fit.R2),
            ["r2_within"] = Number(fit.R2Within),
            ["fixed_effects"] = new JsonArray(fit.FixedEffects.Factors.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["levels"] = f.LevelCount }).ToArray()),
            ["singletons_dropped"] = fit.FixedEffects.SingletonsDropped,
            ["missing_rows_removed"] = fit.MissingRowsRemoved,
            ["dropped_collinear"] = new JsonArray(fit.DroppedCollinear.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
            ["demean_iterations"] = fit.DemeanIterations,
            ["vcov"] = new JsonObject
            {
                ["type"] = recipe.Kind.ToString().ToLowerInvariant(),
                ["clusters"] = new JsonArray(recipe.ClusterCounts.Select(g => (JsonNode)JsonValue.Create(g)).ToArray()),
                ["cluster_by"] = new JsonArray(recipe.ClusterNames.Select(g => (JsonNode)JsonValue.Create(g)).ToArray()),
                ["K"] = recipe.K,
                ["factor"] = Number(recipe.Factor),
                ["t_df"] = Number(recipe.TDf),
                ["ssc"] = recipe.Ssc.ToString().ToLowerInvariant(),
                ["recipe"] = recipe.Describe(),
            },
            ["coefficients"] = coefficients,
        };
    }

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
