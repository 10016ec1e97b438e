using System.Globalization;
using NQPF.Econometrics;

namespace NQPF.Stages.Robustness;

/// <summary>The alternative-specification table: the baseline re-estimated under each variation, one row per (variation, treatment).</summary>
internal static class AlternativeSpecifications
{
    /// <summary>
    /// Rows, per treatment: baseline (city + year FE, controls, clustered by city); excluding every city ever under
    /// each concurrent pilot (one row per policy); each alternative index construction as the outcome; outcome and
    /// controls winsorised at the configured share in each tail (pooled quantiles, R type 7); without the
    /// municipalities and provincial capitals; province×year FE instead of year FE (city FE kept); city-specific linear
    /// trends (city × (year − first year) regressors, one dropped as collinear with the year FE); SEs clustered by
    /// province; controls lagged one year (the first year of each city drops out). Every row clustered on fewer than
    /// <see cref="WildBootstrapSettings.MaxClusters"/> groups also carries the wild cluster bootstrap p-value.
    /// </summary>
    public static IReadOnlyList<EstimateRow> Estimate(RobustnessPanel panel, RobustnessOptions options, IReadOnlySet<string> capitalsAndMunicipalities)
    {
        var rows = new List<EstimateRow>();
        var controls = options.ControlList.Select(c => new NamedColumn(c, panel.Column(c))).ToArray();
        var outcome = panel.Column(options.Outcome);
        var baseFe = new[] { panel.Unit, panel.YearFactor };
        var province = Factor.FromStrings("province", panel.Province);
        foreach (var t in options.Treatments)
        {
            var d = panel.Treatment(t.Name);
            TwfeSpec Spec(string name) => new(name, t.Name, options.Outcome, outcome, controls, baseFe, panel.Unit, WildBootstrap: options.WildBootstrap);

            rows.Add(Twfe.Estimate(Spec("baseline"), d));
            rows.AddRange(SampleAndOutcomeVariants(panel, options, t.Name, Spec, d));
            rows.AddRange(SpecificationVariants(panel, options, Spec, d, province, capitalsAndMunicipalities));
        }
        return rows;
    }

    /// <summary>Other samples (without the cities of each concurrent pilot) and other index constructions as the outcome.</summary>
    private static IEnumerable<EstimateRow> SampleAndOutcomeVariants(RobustnessPanel panel, RobustnessOptions options, string treatment,
        Func<string, TwfeSpec> Spec, double[] d)
    {
        foreach (var (policy, ever) in panel.ConcurrentEver.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var include = ever.Select(e => !e).ToArray();
            var dropped = panel.UnitOfRow.Where((_, i) => ever[i]).Distinct().Count();
            yield return Twfe.Estimate(Spec("exclude_concurrent_" + policy) with
            {
                Include = include,
                Note = string.Create(CultureInfo.InvariantCulture, $"{dropped} cities ever under {policy} dropped"),
            }, d);
        }
        foreach (var alt in options.Alternatives.AlternativeOutcomes)
        {
            yield return panel.Has(alt)
                ? Twfe.Estimate(Spec("outcome_" + alt) with { OutcomeName = alt, Outcome = panel.Column(alt) }, d)
                : EstimateRow.NotEstimated("outcome_" + alt, treatment, alt, $"index/index has no column '{alt}'");
        }
    }

    /// <summary>Winsorised data, no municipalities or capitals, province×year FE, city trends, province clusters, lagged controls.</summary>
    private static IEnumerable<EstimateRow> SpecificationVariants(RobustnessPanel panel, RobustnessOptions options, Func<string, TwfeSpec> Spec,
        double[] d, Factor province, IReadOnlySet<string> capitalsAndMunicipalities)
    {
        var baseline = Spec("baseline");
        var share = options.Alternatives.WinsorShare;
        yield return Twfe.Estimate(Spec("winsorised") with
        {
            Outcome = Winsorise(baseline.Outcome, share),
            Controls = baseline.Controls.Select(c => c with { Values = Winsorise(c.Values, share) }).ToArray(),
            Note = string.Create(CultureInfo.InvariantCulture, $"outcome and controls winsorised at {share:P1} / {1 - share:P1}"),
        }, d);
        var keep = panel.City.Select(c => !capitalsAndMunicipalities.Contains(c!)).ToArray();
        yield return Twfe.Estimate(Spec("drop_municipalities_capitals") with
        {
            Include = keep,
            Note = string.Create(CultureInfo.InvariantCulture, $"{panel.Units.Count(capitalsAndMunicipalities.Contains)} cities dropped"),
        }, d);
        yield return Twfe.Estimate(Spec("province_year_fe") with { FixedEffects = [panel.Unit, Factor.Interact(province, panel.YearFactor)] }, d);
        var maxTrendCities = options.Alternatives.MaxTrendCities;
        yield return panel.Units.Length <= maxTrendCities
            ? Twfe.Estimate(Spec("city_trends") with { Controls = [.. baseline.Controls, .. CityTrends(panel)] }, d)
            : EstimateRow.NotEstimated("city_trends", baseline.Treatment, baseline.OutcomeName, string.Create(CultureInfo.InvariantCulture,
                $"{panel.Units.Length} cities: city-specific trends are estimated up to Robustness:Alternatives:MaxTrendCities = {maxTrendCities} (one regressor per city)"));
        yield return Twfe.Estimate(Spec("province_cluster") with { Cluster = province }, d);
        yield return Twfe.Estimate(Spec("lagged_controls") with
        {
            Controls = baseline.Controls.Select(c => new NamedColumn(c.Name + "_lag1", Lag(panel, c.Values))).ToArray(),
        }, d);
    }

    /// <summary>
    /// Clips x to [q_s, q_(1−s)] with pooled type-7 quantiles of the finite values; NaN stays NaN; s = 0 returns a copy.
    /// </summary>
    public static double[] Winsorise(double[] x, double share)
    {
        var finite = x.Where(double.IsFinite).Order().ToArray();
        if (share <= 0 || finite.Length == 0) return (double[])x.Clone();
        var lo = Econometrics.Placebo.PlaceboInference.Quantile(finite, share);
        var hi = Econometrics.Placebo.PlaceboInference.Quantile(finite, 1 - share);
        return [.. x.Select(v => double.IsFinite(v) ? Math.Clamp(v, lo, hi) : v)];
    }

    /// <summary>x of the same city in the previous year (NaN when that year is not in the panel).</summary>
    public static double[] Lag(RobustnessPanel panel, double[] x)
    {
        var at = new Dictionary<(int, long), double>();
        for (var i = 0; i < panel.Rows; i++) at[(panel.UnitOfRow[i], panel.Year[i])] = x[i];
        var lag = new double[panel.Rows];
        for (var i = 0; i < panel.Rows; i++)
            lag[i] = at.TryGetValue((panel.UnitOfRow[i], panel.Year[i] - 1), out var v) ? v : double.NaN;
        return lag;
    }

    /// <summary>One regressor per city: (year − first year) in its rows, 0 elsewhere (filled in one pass over the rows).</summary>
    private static IEnumerable<NamedColumn> CityTrends(RobustnessPanel panel)
    {
        var first = panel.Year.Min();
        var trends = panel.Units.Select(_ => new double[panel.Rows]).ToArray();
        for (var i = 0; i < panel.Rows; i++) trends[panel.UnitOfRow[i]][i] = panel.Year[i] - first;
        return panel.Units.Select((unit, u) => new NamedColumn("trend_" + unit, trends[u]));
    }
}
