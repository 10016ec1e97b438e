using NQPF.Econometrics.Matching;

namespace NQPF.Econometrics.Tests.Matching;

/// <summary>MatchIt's lalonde (datasets/lalonde.csv) and its glm propensity score, shared by the matching tests.</summary>
internal static class LalondeFixture
{
    public static readonly string[] Covariates = ["age", "educ", "black", "hispan", "married", "nodegree", "re74", "re75"];

    private static readonly Lazy<(Dictionary<string, double[]> Data, LogitFit Fit)> Loaded = new(() =>
    {
        var data = ReferenceData.NumericCsv("datasets/lalonde.csv");
        var fit = Logit.Fit(data["treat"], Covariates.Select(c => data[c]).ToArray(), Covariates);
        return (data, fit);
    });

    public static Dictionary<string, double[]> Data => Loaded.Value.Data;

    public static LogitFit Fit => Loaded.Value.Fit;

    public static bool[] Treated => Data["treat"].Select(v => v == 1.0).ToArray();
}
