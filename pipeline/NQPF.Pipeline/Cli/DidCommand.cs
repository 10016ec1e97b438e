using System.CommandLine;
using NQPF.Econometrics.Staggered;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Hosting;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>did --data FILE --unit U --time T --cohort G --y Y --estimator bacon|cs|sa|bjs|event [--control never|notyet]
/// [--base varying|universal] [--anticipation K] [--covariates X1,…] [--method reg|ipw|dr] [--leads K --lags L]
/// [--bootstrap B --seed S] [--aggregate all|dynamic] [--cluster C] [--sensitivity rm|sd [--mbar …] [--m …]] [--json]</c>: one heterogeneity-robust staggered DiD estimator on any table
/// (CSV, Excel or Parquet). G is the first treated period; 0 or empty = never treated.
/// </summary>
internal static class DidCommand
{
    public static Command Create(CliContext cli)
    {
        Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };
        var data = Required("--data", "Data table: CSV, .xlsx/.xls or Parquet, one row per unit and period.");
        var unit = Required("--unit", "Unit identifier column.");
        var time = Required("--time", "Period column (whole numbers).");
        var cohort = Required("--cohort", "First treated period column; 0 or empty = never treated.");
        var y = Required("--y", "Outcome column.");
        var estimator = Required("--estimator", "bacon, cs, sa, bjs or event.");
        estimator.AcceptOnlyFromAmong("bacon", "cs", "sa", "bjs", "event");
        var control = new Option<string>("--control")
        {
            Description = "Comparison units: never or notyet (cs: not-yet-treated; sa: the last-treated cohort).",
            DefaultValueFactory = _ => "never",
        };
        control.AcceptOnlyFromAmong("never", "notyet");
        var basePeriod = new Option<string>("--base") { Description = "cs base period: varying or universal.", DefaultValueFactory = _ => "varying" };
        basePeriod.AcceptOnlyFromAmong("varying", "universal");
        var anticipation = new Option<int>("--anticipation") { Description = "Anticipation periods (default 0)." };
        var covariates = new Option<string?>("--covariates") { Description = "cs covariates, comma separated (taken from the base period)." };
        var method = new Option<string>("--method") { Description = "cs covariate adjustment: reg, ipw or dr.", DefaultValueFactory = _ => "dr" };
        method.AcceptOnlyFromAmong("reg", "ipw", "dr");
        var leads = new Option<int?>("--leads") { Description = "event: leads K (e = -K..-2, earlier periods pooled into -K)." };
        var lags = new Option<int?>("--lags") { Description = "event: lags L (e = 0..L, later periods pooled into L)." };
        var bootstrap = new Option<int?>("--bootstrap") { Description = "cs: multiplier-bootstrap draws for SEs and uniform bands." };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap.", DefaultValueFactory = _ => 1 };
        var aggregate = new Option<string>("--aggregate")
        {
            Description = "cs aggregations: all (simple, dynamic, group, calendar) or dynamic (the cells and the event-time aggregation, as R did's att_gt + aggte(type = \"dynamic\")).",
            DefaultValueFactory = _ => "all",
        };
        aggregate.AcceptOnlyFromAmong("all", "dynamic");
        var cluster = new Option<string?>("--cluster") { Description = "Cluster column for sa, bjs and event SEs, and for the cs multiplier bootstrap (with --bootstrap; constant within unit). Default: the unit." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var sensitivity = new DidSensitivity();

        var command = new Command("did", "Heterogeneity-robust staggered DiD: Goodman-Bacon, Callaway-Sant'Anna, Sun-Abraham, imputation, TWFE event study.")
        {
            data, unit, time, cohort, y, estimator, control, basePeriod, anticipation, covariates, method, leads, lags,
            bootstrap, seed, aggregate, cluster, json, sensitivity.Restriction, sensitivity.Mbar, sensitivity.M,
        };
        command.SetAction((parse, ct) => cli.InvokeWithoutHostAsync(parse, ct, async token =>
        {
            var request = new DidRequest(
                Path.GetFullPath(parse.GetRequiredValue(data)),
                parse.GetRequiredValue(unit), parse.GetRequiredValue(time), parse.GetRequiredValue(cohort), parse.GetRequiredValue(y),
                parse.GetRequiredValue(estimator),
                parse.GetValue(control) == "notyet" ? ControlGroup.NotYetTreated : ControlGroup.NeverTreated,
                parse.GetValue(basePeriod) == "universal" ? BasePeriod.Universal : BasePeriod.Varying,
                parse.GetValue(anticipation),
                CommaList.Parse(parse.GetValue(covariates)),
                parse.GetValue(method) switch { "reg" => CsMethod.Reg, "ipw" => CsMethod.Ipw, _ => CsMethod.Dr },
                parse.GetValue(leads), parse.GetValue(lags), parse.GetValue(bootstrap), parse.GetValue(seed), parse.GetValue(cluster))
            {
                DynamicOnly = parse.GetValue(aggregate) == "dynamic",
            };
            Validate(request);
            string[] used = [request.Unit, request.Time, request.Cohort, request.Y, .. request.Covariates, .. request.Cluster is { } c ? [c] : Array.Empty<string>()];
            var frame = await TableFiles.ReadAsync(request.DataPath, token, used);
            var result = DidAnalysis.Run(frame, request, sensitivity.Parse(parse, request.Estimator));
            await cli.Out.WriteAsync(parse.GetValue(json)
                ? result.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine
                : DidAnalysis.ToText(result));
            await cli.Out.FlushAsync(token);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Validate(DidRequest r)
    {
        if (r.Anticipation < 0) throw new UsageException("--anticipation must be 0 or more.");
        if (r.Leads is < 1) throw new UsageException("--leads must be at least 1 (e = -1 is the reference period).");
        if (r.Lags is < 0) throw new UsageException("--lags must be 0 or more.");
        if (r.BootstrapDraws is < 2) throw new UsageException("--bootstrap needs at least 2 draws.");
        if (r.BootstrapDraws is not null && r.Estimator != "cs") throw new UsageException("--bootstrap applies to --estimator cs only.");
        if (r.Covariates.Count > 0 && r.Estimator != "cs") throw new UsageException("--covariates applies to --estimator cs only.");
        if (r.DynamicOnly && r.Estimator != "cs") throw new UsageException("--aggregate applies to --estimator cs only.");
        if (r.Cluster is not null && r.Estimator == "bacon") throw new UsageException("--cluster does not apply to bacon (a decomposition has no SEs).");
        if (r.Cluster is not null && r.Estimator == "cs" && r.BootstrapDraws is null)
            throw new UsageException("--cluster with cs clusters the multiplier bootstrap (one weight per cluster, R did's clustervars): add --bootstrap B.");
        if ((r.Leads is not null || r.Lags is not null) && r.Estimator != "event") throw new UsageException("--leads/--lags apply to --estimator event only.");
    }
}
