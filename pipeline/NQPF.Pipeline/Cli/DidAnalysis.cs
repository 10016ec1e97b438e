using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NQPF.Econometrics;
using NQPF.Econometrics.Staggered;
using NQPF.Pipeline.Files;
using NQPF.Stages.Estimate;
using NQPF.Stages;
using NQPF.Stages.Analysis;

namespace NQPF.Pipeline.Cli;

/// <summary>What the <c>did</c> verb was asked to do (validated option values).</summary>
internal sealed record DidRequest(
    string DataPath,
    string Unit,
    string Time,
    string Cohort,
    string Y,
    string Estimator,
    ControlGroup Control,
    BasePeriod Base,
    int Anticipation,
    IReadOnlyList<string> Covariates,
    CsMethod Method,
    int? Leads,
    int? Lags,
    int? BootstrapDraws,
    int Seed,
    string? Cluster)
{
    /// <summary>cs: the cells and the dynamic aggregation only (R did's att_gt + aggte(type = "dynamic")).</summary>
    public bool DynamicOnly { get; init; }

    /// <summary>The analysis settings, as the robustness stage's comparison takes them.</summary>
    public StaggeredSpec Spec => new(Control, Base, Anticipation, Leads, Lags, BootstrapDraws ?? 0, Seed)
    {
        Method = Method,
        Covariates = Covariates,
    };
}

/// <summary>
/// Runs one staggered estimator on a data table through <see cref="StaggeredAnalysis"/> (the functions the robustness
/// stage calls) and renders the result as JSON or text. Every result carries its settings and the sample rules' drops.
/// </summary>
internal static class DidAnalysis
{
    public static JsonObject Run(Frame data, DidRequest request, SensitivityRequest? sensitivity = null)
    {
        var source = request.DataPath;
        var units = FrameColumns.Strings(data, request.Unit, source);
        for (int r = 0; r < units.Length; r++)
            if (units[r] is null) throw new DataValidationException($"{source}: column '{request.Unit}' is missing at data row {r + 1}.");
        var periods = FrameColumns.Longs(data, request.Time, source);
        var cohorts = FrameColumns.Longs(data, request.Cohort, source, missing: 0);
        var y = FrameRegression.Numeric(data, request.Y);
        var covariates = request.Covariates.ToDictionary(c => c, c => FrameRegression.Numeric(data, c), StringComparer.Ordinal);
        var clusters = request.Cluster is null ? null : FrameColumns.Strings(data, request.Cluster, source);

        try
        {
            var panel = StaggeredPanel.Create(units!, periods, cohorts, y, covariates, request.Anticipation, clusters,
                unitName: request.Unit, clusterName: request.Cluster ?? request.Unit);
            var spec = request.Spec;
            EventStudyResult? events = null;
            CsAggregate? dynamic = null;
            var result = request.Estimator switch
            {
                "cs" => CallawaySantAnnaJson(StaggeredAnalysis.CallawaySantAnna(panel, spec, allAggregations: true, request.DynamicOnly), d => dynamic = d),
                "bacon" => BaconJson(StaggeredAnalysis.Bacon(panel)),
                "sa" => EventJson(events = StaggeredAnalysis.SunAbrahamEvent(panel, spec)),
                "bjs" => EventJson(StaggeredAnalysis.ImputationEvent(panel)),
                _ => EventJson(events = StaggeredAnalysis.TwfeEvent(panel, spec)),
            };
            if (sensitivity is not null) DidSensitivity.AddTo(result, DidSensitivity.Estimates(events, dynamic), sensitivity);
            result["settings"] = Settings(request);
            result["sample"] = Sample(panel, result["sample"]?.DeepClone() as JsonObject);
            return result;
        }
        catch (Exception ex) when (ModelErrors.IsAboutTheData(ex))
        {
            throw ModelErrors.ToDataError(source, request.Estimator, ex);
        }
    }

    private static JsonObject CallawaySantAnnaJson(CsAnalysis analysis, Action<CsAggregate> dynamicAggregate)
    {
        var (cs, balanced, dynamic) = (analysis.Cells, analysis.Balanced, analysis.Dynamic);
        var attGt = new JsonArray(cs.Cells.Select(c => (JsonNode)new JsonObject
        {
            ["group"] = c.Group,
            ["time"] = c.Time,
            ["att"] = Num(c.Att),
            ["se"] = Num(c.Se),
        }).ToArray());

        dynamicAggregate(dynamic);
        JsonArray By(CsAggregate a, string key) => new(a.By.Select(e => (JsonNode)new JsonObject
        {
            [key] = e.Value,
            ["att"] = Num(e.Att),
            ["se"] = Num(e.Se),
        }).ToArray());
        JsonObject Overall(CsAggregate a) => new() { ["att"] = Num(a.Att), ["se"] = Num(a.Se), ["critical_value"] = Num(a.CriticalValue) };

        // Aggregations not asked for (--aggregate dynamic) are left out rather than printed empty.
        var aggregates = new JsonObject();
        var overall = new JsonObject { ["dynamic"] = Overall(dynamic) };
        if (analysis.Simple is { } simple) aggregates["simple"] = new JsonObject { ["att"] = Num(simple.Att), ["se"] = Num(simple.Se) };
        aggregates["dynamic"] = By(dynamic, "e");
        foreach (var (name, key, a) in new[] { ("group", "group", analysis.Group), ("calendar", "time", analysis.Calendar) })
        {
            if (a is null) continue;
            aggregates[name] = By(a, key);
            overall[name] = Overall(a);
        }
        aggregates["overall"] = overall;
        return new JsonObject
        {
            ["estimator"] = "cs",
            ["att_gt"] = attGt,
            ["aggregates"] = aggregates,
            ["pretest"] = new JsonObject { ["wald"] = Num(cs.PretestWald), ["df"] = cs.PretestDf, ["p"] = Num(cs.PretestPValue) },
            ["inference"] = cs.Inference,
            ["critical_value"] = Num(cs.CriticalValue),
            ["sample"] = new JsonObject { ["drops"] = Drops(balanced.Drops), ["units_used"] = balanced.N },
        };
    }

    private static JsonObject BaconJson(BaconResult bacon) => new()
    {
        ["estimator"] = "bacon",
        ["comparisons"] = new JsonArray(bacon.Comparisons.Select(c => (JsonNode)new JsonObject
        {
            ["type"] = BaconDecomposition.Name(c.Type),
            ["treated"] = c.Treated,
            ["control"] = c.Control,
            ["estimate"] = Num(c.Estimate),
            ["weight"] = Num(c.Weight),
        }).ToArray()),
        ["twfe"] = Num(bacon.TwfeEstimate),
        ["weight_sum"] = Num(bacon.WeightSum),
        ["weighted_sum"] = Num(bacon.WeightedSum),
        ["sample"] = new JsonObject { ["drops"] = Drops(bacon.Drops) },
    };

    private static JsonObject EventJson(EventStudyResult r)
    {
        var o = new JsonObject
        {
            ["estimator"] = r.Estimator,
            ["event"] = new JsonArray(r.Event.Select(e => (JsonNode)new JsonObject
            {
                ["e"] = e.E,
                ["estimate"] = Num(e.Estimate),
                ["se"] = Num(e.Se),
            }).ToArray()),
            ["att"] = new JsonObject { ["estimate"] = Num(r.Att), ["se"] = Num(r.AttSe) },
            ["method"] = r.Settings,
            ["inference"] = r.Inference,
            ["sample"] = new JsonObject { ["drops"] = Drops(r.Drops), ["observations_used"] = r.Observations, ["notes"] = Strings(r.Notes) },
        };
        if (r.Pretrend is { } w)
            o["pretrend"] = new JsonObject { ["hypothesis"] = w.Hypothesis, ["chi2"] = Num(w.Chi2), ["df"] = w.Restrictions, ["p"] = Num(w.ChiP) };
        if (r.CohortEffects.Count > 0)
        {
            o["cohort_event"] = new JsonArray(r.CohortEffects.Select(c => (JsonNode)new JsonObject
            {
                ["cohort"] = c.Cohort,
                ["e"] = c.E,
                ["estimate"] = Num(c.Estimate),
                ["se"] = Num(c.Se),
            }).ToArray());
        }
        return o;
    }

    private static JsonObject Settings(DidRequest r) => new()
    {
        ["estimator"] = r.Estimator,
        ["data"] = r.DataPath,
        ["unit"] = r.Unit,
        ["time"] = r.Time,
        ["cohort"] = r.Cohort,
        ["y"] = r.Y,
        ["control"] = r.Control == ControlGroup.NeverTreated ? "never" : "notyet",
        ["base"] = r.Base == BasePeriod.Varying ? "varying" : "universal",
        ["anticipation"] = r.Anticipation,
        ["covariates"] = Strings(r.Covariates),
        ["method"] = r.Method.ToString().ToLowerInvariant(),
        ["leads"] = r.Leads,
        ["lags"] = r.Lags,
        ["bootstrap"] = r.BootstrapDraws,
        ["seed"] = r.BootstrapDraws is null ? null : r.Seed,
        ["aggregate"] = r.Estimator != "cs" ? null : r.DynamicOnly ? "dynamic" : "all",
        ["cluster"] = r.Cluster ?? r.Unit,
        ["first_period_cohorts"] = StaggeredPanel.FirstPeriodCohortRule,
    };

    private static JsonObject Sample(StaggeredPanel panel, JsonObject? specific)
    {
        var o = specific ?? new JsonObject();
        o["units"] = panel.UnitCount;
        o["periods"] = new JsonArray(panel.Periods.Select(p => (JsonNode)p).ToArray());
        o["observations"] = panel.ObservationCount;
        o["cohorts"] = new JsonArray(panel.Cohorts.Select(g => (JsonNode)g).ToArray());
        o["drops"] ??= Drops(panel.Drops);
        o["notes"] ??= Strings(panel.Notes);
        return o;
    }

    private static JsonArray Drops(IEnumerable<SampleDrop> drops) => new(drops.Select(d => (JsonNode)new JsonObject
    {
        ["reason"] = d.Reason,
        ["units"] = d.Units,
        ["rows"] = d.Rows,
    }).ToArray());

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>A plain-text rendering of the JSON result for the terminal.</summary>
    public static string ToText(JsonObject result)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string Shown(JsonNode? n) => n is null ? "NA" : n.GetValue<double>().ToString("0.000000", inv);
        var settings = result["settings"]!.AsObject();
        sb.AppendLine(inv, $"did --estimator {settings["estimator"]} on {settings["data"]}: y = {settings["y"]}, unit = {settings["unit"]}, time = {settings["time"]}, cohort = {settings["cohort"]}");
        sb.AppendLine("settings: " + string.Join(", ", settings.Where(kv => kv.Key is not ("data" or "unit" or "time" or "cohort" or "y" or "estimator"))
            .Select(kv => $"{kv.Key}={kv.Value?.ToJsonString() ?? "null"}")));
        if (result["att_gt"] is JsonArray cells)
        {
            sb.AppendLine(inv, $"{"group",8}{"time",8}{"att",14}{"se",14}");
            foreach (var c in cells) sb.AppendLine(inv, $"{c!["group"],8}{c["time"],8}{Shown(c["att"]),14}{Shown(c["se"]),14}");
            var agg = result["aggregates"]!;
            if (agg["simple"] is { } simple) sb.AppendLine(inv, $"simple ATT {Shown(simple["att"])} (se {Shown(simple["se"])})");
            foreach (var (name, key) in new[] { ("dynamic", "e"), ("group", "group"), ("calendar", "time") })
            {
                if (agg[name] is null) continue;
                sb.AppendLine(inv, $"{name}: overall {Shown(agg["overall"]![name]!["att"])} (se {Shown(agg["overall"]![name]!["se"])})");
                foreach (var e in agg[name]!.AsArray()) sb.AppendLine(inv, $"  {key} {e![key],6}{Shown(e["att"]),14}{Shown(e["se"]),14}");
            }
            sb.AppendLine(inv, $"inference: {result["inference"]}");
        }
        if (result["comparisons"] is JsonArray comps)
        {
            sb.AppendLine(inv, $"{"type",-18}{"treated",9}{"control",9}{"estimate",14}{"weight",12}");
            foreach (var c in comps) sb.AppendLine(inv, $"{c!["type"],-18}{c["treated"],9}{c["control"],9}{Shown(c["estimate"]),14}{Shown(c["weight"]),12}");
            sb.AppendLine(inv, $"TWFE {Shown(result["twfe"])} = Σ weight × estimate {Shown(result["weighted_sum"])}");
        }
        if (result["event"] is JsonArray events)
        {
            sb.AppendLine(inv, $"{"e",6}{"estimate",14}{"se",14}");
            foreach (var e in events) sb.AppendLine(inv, $"{e!["e"],6}{Shown(e["estimate"]),14}{Shown(e["se"]),14}");
            sb.AppendLine(inv, $"ATT {Shown(result["att"]!["estimate"])} (se {Shown(result["att"]!["se"])})");
            sb.AppendLine(inv, $"{result["method"]}; {result["inference"]}");
        }
        foreach (var d in result["sample"]!["drops"]!.AsArray())
            sb.AppendLine(inv, $"dropped: {d!["reason"]}: {d["units"]} units, {d["rows"]} rows");
        foreach (var n in result["sample"]!["notes"]?.AsArray() ?? [])
            sb.AppendLine(inv, $"note: {n}");
        sb.Append(DidSensitivity.ToText(result));
        return sb.ToString();
    }
}
