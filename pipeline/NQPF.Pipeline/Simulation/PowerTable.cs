using System.Globalization;
using System.Text;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Simulation;

/// <summary>A claim over the seeds: the share whose verdict agrees with the planted truth's (the power when the truth
/// supports the claim, one minus the size when it does not), and the verdicts' counts.</summary>
internal sealed record ClaimPower(int Number, string TruthVerdicts, int Seeds, double Agreement, int Supported, int NotSupported, int Opposite);

/// <summary>A part of a claim over the seeds: mean planted truth, mean estimate, its SD across seeds, the mean SE
/// (half the 95% CI over its critical value), the mean t = estimate / SE, and the share whose part verdict agrees with the truth's.</summary>
internal sealed record PartPower(int Claim, string Label, double Truth, double MeanEstimate, double SdEstimate, double MeanSe,
    double MeanT, double Agreement);

/// <summary>The power table of a <see cref="PowerStudy"/> and its Markdown.</summary>
internal sealed record PowerTable(IReadOnlyList<int> Seeds, double Alpha, IReadOnlyList<ClaimPower> Claims, IReadOnlyList<PartPower> Parts)
{
    private const double Z975 = 1.959963984540054;

    public static PowerTable Of(IReadOnlyList<PowerDraw> draws, double alpha)
    {
        var results = draws.SelectMany(d => d.Claims).ToList();
        var claims = results.GroupBy(c => c.Number).OrderBy(g => g.Key).Select(g =>
        {
            var verdicts = g.Select(c => c.Verdict(alpha)).ToList();
            return new ClaimPower(g.Key, string.Join("/", g.Select(c => Name(c.TruthVerdict)).Distinct()), verdicts.Count,
                g.Average(c => c.Verdict(alpha) == c.TruthVerdict ? 1.0 : 0.0), verdicts.Count(v => v == Verdict.Supported),
                verdicts.Count(v => v == Verdict.NotSupported), verdicts.Count(v => v == Verdict.Opposite));
        }).ToList();
        var parts = results.SelectMany(c => c.Parts.Select(p => (c.Number, Part: p))).GroupBy(x => (x.Number, x.Part.Label))
            .Select(g => Part(g.Key.Number, g.Key.Label, [.. g.Select(x => x.Part)], alpha)).ToList();
        return new PowerTable([.. draws.Select(d => d.Seed)], alpha, claims, parts);
    }

    private static PartPower Part(int claim, string label, IReadOnlyList<ClaimPart> parts, double alpha)
    {
        var estimates = parts.Select(p => p.Estimate).ToArray();
        var mean = estimates.Average();
        var sd = estimates.Length > 1 ? Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (estimates.Length - 1)) : double.NaN;
        var se = parts.Select(p => (p.High - p.Low) / (2 * Z975)).ToArray();
        var truthVerdict = (ClaimPart p) => Verdicts.OfTruth([(p.Truth, p.Sign)]);
        return new PartPower(claim, label, parts.Average(p => p.Truth), mean, sd, se.Average(),
            parts.Select((p, i) => p.Estimate / se[i]).Average(), parts.Average(p => p.Verdict(alpha) == truthVerdict(p) ? 1.0 : 0.0));
    }

    private static string Name(Verdict v) => v switch
    {
        Verdict.Supported => "supported",
        Verdict.Opposite => "opposite",
        _ => "not supported",
    };

    public string Markdown(IReadOnlyDictionary<int, string> claimNames)
    {
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L(F($"Seeds: {Seeds.Count} ({SeedList()}); α = {Alpha}. Agreement = share of seeds whose verdict equals the planted truth's verdict (the power where the truth supports the claim)."));
        L();
        L("| claim | truth | seeds | agreement | supported | not supported | opposite |");
        L("|---|---|---:|---:|---:|---:|---:|");
        foreach (var c in Claims)
            L(F($"| {c.Number}. {claimNames.GetValueOrDefault(c.Number, "")} | {c.TruthVerdicts} | {c.Seeds} | {c.Agreement:F2} | {c.Supported} | {c.NotSupported} | {c.Opposite} |"));
        L();
        L("| claim | part | truth | mean estimate | SD across seeds | mean SE | mean t | part agreement |");
        L("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var p in Parts)
            L(F($"| {p.Claim} | {p.Label} | {G(p.Truth)} | {G(p.MeanEstimate)} | {G(p.SdEstimate)} | {G(p.MeanSe)} | {p.MeanT:F2} | {p.Agreement:F2} |"));
        return sb.ToString();
    }

    private string SeedList() => Seeds.Count <= 4 ? string.Join(", ", Seeds)
        : F($"{Seeds[0]}, {Seeds[1]}, …, {Seeds[^1]}");

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
