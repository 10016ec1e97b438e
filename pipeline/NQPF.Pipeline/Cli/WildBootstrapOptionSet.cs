using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NQPF.Econometrics.WildBootstrap;
using NQPF.Pipeline.Hosting;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>--wild-bootstrap B [--weights-type rademacher|webb] [--seed S]</c> of the <c>estimate</c> verb: the wild cluster
/// bootstrap (WCR, null imposed) of the treatment term, with the CI by test inversion.
/// </summary>
internal sealed class WildBootstrapOptionSet
{
    public Option<int?> Draws { get; } = new("--wild-bootstrap") { Description = "Wild cluster bootstrap draws B (all 2^G Rademacher sign vectors when 2^G <= B); needs one --cluster." };

    public Option<string> WeightsType { get; } = new("--weights-type") { Description = "Wild bootstrap weights: rademacher or webb.", DefaultValueFactory = _ => "rademacher" };

    public Option<long> Seed { get; } = new("--seed") { Description = "Seed of the wild bootstrap draws.", DefaultValueFactory = _ => 1 };

    public WildBootstrapOptionSet() => WeightsType.AcceptOnlyFromAmong("rademacher", "webb");

    /// <summary>The bootstrap settings, or null when --wild-bootstrap is not given.</summary>
    public WildBootstrapOptions? Options(ParseResult parse)
    {
        if (parse.GetValue(Draws) is not { } draws) return null;
        if (draws < 1) throw new UsageException("--wild-bootstrap needs a positive number of draws.");
        return new WildBootstrapOptions(draws, WildWeightsNames.Parse(parse.GetValue(WeightsType)!), parse.GetValue(Seed));
    }

    /// <summary>Adds <c>wild_bootstrap {term, t, p, ci_low, ci_high, draws, enumerated, weights}</c> (an unbounded side is null).</summary>
    public static JsonObject AddTo(JsonObject json, WildBootstrapResult? boot)
    {
        if (boot is null) return json;
        json["wild_bootstrap"] = new JsonObject
        {
            ["term"] = boot.Term,
            ["t"] = Number(boot.T),
            ["p"] = Number(boot.P),
            ["ci_low"] = Number(boot.CiLow),
            ["ci_high"] = Number(boot.CiHigh),
            ["draws"] = boot.Draws,
            ["enumerated"] = boot.Enumerated,
            ["weights"] = boot.Weights.ToString().ToLowerInvariant(),
        };
        return json;
    }

    public static string Describe(WildBootstrapResult? boot) => boot is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $"{boot.Term}: wild bootstrap t = {boot.T:F3}, p = {boot.P:G4}, 95% CI [{boot.CiLow:G6}, {boot.CiHigh:G6}]{Environment.NewLine}{boot.Describe()}{Environment.NewLine}");

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
