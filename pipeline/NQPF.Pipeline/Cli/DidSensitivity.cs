using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NQPF.Econometrics.HonestDid;
using NQPF.Econometrics.Staggered;
using NQPF.Pipeline.Hosting;

namespace NQPF.Pipeline.Cli;

/// <summary>What <c>did --sensitivity rm|sd [--mbar …] [--m …]</c> asks for.</summary>
internal sealed record SensitivityRequest(SensitivityRestriction Restriction, IReadOnlyList<double>? Grid);

/// <summary>
/// The Rambachan–Roth sensitivity of an event study the <c>did</c> verb estimated (event, cs dynamic, sa): adds
/// <c>sensitivity</c> [{method, restriction, mbar|m, target, lb, ub}] and <c>breakdown</c> {restriction, first, average, precision}.
/// </summary>
internal sealed class DidSensitivity
{
    public Option<string?> Restriction { get; } = CreateRestriction();

    public Option<string?> Mbar { get; } = new("--mbar") { Description = "Relative-magnitudes grid M̄, comma separated (default 0.5,1,1.5,2)." };

    public Option<string?> M { get; } = new("--m") { Description = "Smoothness grid M in outcome units, comma separated (default 0, ¼, ½ and 1 × the first post-period SE)." };

    private static Option<string?> CreateRestriction()
    {
        var option = new Option<string?>("--sensitivity") { Description = "HonestDiD sensitivity of the event study: rm (relative magnitudes, C-LF) or sd (smoothness, FLCI)." };
        option.AcceptOnlyFromAmong("rm", "sd");
        return option;
    }

    public SensitivityRequest? Parse(ParseResult parse, string estimator)
    {
        if (parse.GetValue(Restriction) is not { } restriction)
        {
            if (parse.GetValue(Mbar) is not null || parse.GetValue(M) is not null) throw new UsageException("--mbar/--m need --sensitivity rm|sd.");
            return null;
        }
        if (estimator is not ("event" or "cs" or "sa")) throw new UsageException("--sensitivity applies to --estimator event, cs or sa.");
        var rm = restriction == "rm";
        var grid = parse.GetValue(rm ? Mbar : M) is { } text ? CommaList.Parse(text).Select(ParseValue).ToArray() : null;
        if ((rm ? parse.GetValue(M) : parse.GetValue(Mbar)) is not null) throw new UsageException(rm ? "--m goes with --sensitivity sd." : "--mbar goes with --sensitivity rm.");
        return new SensitivityRequest(rm ? SensitivityRestriction.RelativeMagnitudes : SensitivityRestriction.Smoothness, grid);
    }

    private static double ParseValue(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v
            : throw new UsageException($"'{s}' is not a non-negative number (sensitivity grid).");

    /// <summary>The event study's estimates and covariance: the event-time estimator's, or CS's dynamic aggregation.</summary>
    public static EventStudyEstimates Estimates(EventStudyResult? events, CsAggregate? dynamic)
    {
        if (events is { EventCovariance: { } cov })
            return EventStudyEstimates.FromEventTimes([.. events.Event.Select(x => x.E)], [.. events.Event.Select(x => x.Estimate)], cov);
        if (dynamic is not null)
            return EventStudyEstimates.FromEventTimes([.. dynamic.By.Select(x => x.Value)], [.. dynamic.By.Select(x => x.Att)], dynamic.Covariance);
        throw new UsageException("This estimator gives no event-study covariance for a sensitivity analysis.");
    }

    public static void AddTo(JsonObject result, EventStudyEstimates es, SensitivityRequest request)
    {
        var rm = request.Restriction == SensitivityRestriction.RelativeMagnitudes;
        var firstSe = Math.Sqrt(es.SigmaAt(es.PrePeriods, es.PrePeriods));
        var grid = request.Grid ?? (rm ? SensitivityAnalysis.DefaultMbar : [0, 0.25 * firstSe, 0.5 * firstSe, firstSe]);
        var analysis = SensitivityAnalysis.Run(es, request.Restriction, grid);
        var key = rm ? "mbar" : "m";
        result["sensitivity"] = new JsonArray(analysis.Rows.Select(r => (JsonNode)new JsonObject
        {
            ["method"] = r.Method,
            ["restriction"] = r.Restriction,
            [key] = double.IsNaN(r.Parameter) ? null : r.Parameter,
            ["target"] = r.Target == SensitivityTarget.First ? "first" : "average",
            ["lb"] = Number(r.Lb),
            ["ub"] = Number(r.Ub),
        }).ToArray());
        result["breakdown"] = new JsonObject
        {
            ["restriction"] = rm ? "RM" : "SD",
            ["parameter"] = key,
            ["first"] = Number(analysis.Breakdowns.Single(b => b.Target == SensitivityTarget.First).Value),
            ["average"] = Number(analysis.Breakdowns.Single(b => b.Target == SensitivityTarget.Average).Value),
            ["precision"] = analysis.Breakdowns[0].Precision,
            ["meaning"] = "largest " + key + " at which the 95% set still excludes 0 (0: not even under exact parallel trends)",
        };
    }

    /// <summary>The sensitivity rows and breakdown values for the terminal (nothing when the result has none).</summary>
    public static string ToText(JsonObject result)
    {
        if (result["sensitivity"] is not JsonArray rows) return "";
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        var breakdown = result["breakdown"]!;
        var key = breakdown["parameter"]!.GetValue<string>();
        sb.AppendLine(inv, $"sensitivity (Rambachan-Roth, 95%): {"method",-9}{"target",-9}{key,8}{"lb",12}{"ub",12}");
        foreach (var r in rows)
            sb.AppendLine(inv, $"{"",35}{r!["method"],-9}{r["target"],-9}{r[key]?.ToJsonString() ?? "",8}{r["lb"]?.GetValue<double>().ToString("0.000000", inv) ?? "NA",12}{r["ub"]?.GetValue<double>().ToString("0.000000", inv) ?? "NA",12}");
        sb.AppendLine(inv, $"breakdown {key} ({breakdown["restriction"]}): first {breakdown["first"]?.ToJsonString()}, average {breakdown["average"]?.ToJsonString()} (precision {breakdown["precision"]})");
        return sb.ToString();
    }

    /// <summary>NaN → null; an unbounded breakdown (no M̄ up to 10⁴ × the precision includes 0) → "inf".</summary>
    private static JsonNode? Number(double v) => double.IsNaN(v) ? null : double.IsPositiveInfinity(v) ? JsonValue.Create("inf") : JsonValue.Create(v);
}
