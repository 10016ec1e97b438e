using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>
/// Turns the stages' long estimate tables into <see cref="RegressionGrid"/>s: the estimate stage's model × term rows
/// (<see cref="FromModels"/>) and the robustness stage's specification × treatment rows (<see cref="FromSpecifications"/>).
/// Every model of the estimate stage is TWFE with city and year fixed effects (its documented contract), which the
/// FE rows state.
/// </summary>
internal sealed class StudyGrids(ReportLabels labels)
{
    /// <summary>The robustness specification that replaces year FE by province × year FE (every specification keeps city FE).</summary>
    public const string ProvinceYearFe = "province_year_fe";

    /// <summary>
    /// Models (distinct "model" ids among <paramref name="rows"/>) as columns, headed by their label; key terms
    /// (key_term) as coefficient rows in first-seen order; "Controls" Yes when a model has any other term; then
    /// <paramref name="extra"/> rows per model (tests), and City FE, Year FE, N, R², within R², clusters.
    /// </summary>
    public RegressionGrid FromModels(Frame frame, IReadOnlyList<int> rows, Func<long, IReadOnlyList<(string Label, string Value)>>? extra = null)
    {
        var models = rows.Select(i => frame.Longs("model")[i]).Distinct().ToList();
        var first = models.Select(m => rows.First(i => frame.Longs("model")[i] == m)).ToList();
        var terms = rows.Where(i => frame.Bools("key_term")[i]).Select(i => frame.Strings("term")[i] ?? "").Distinct(StringComparer.Ordinal).ToList();
        var cells = new Dictionary<(int, int, string), Coefficient>();
        foreach (var i in rows.Where(i => frame.Bools("key_term")[i]))
        {
            cells[(0, models.IndexOf(frame.Longs("model")[i]), frame.Strings("term")[i] ?? "")] =
                new Coefficient(frame.Doubles("estimate")[i], frame.Doubles("se")[i], frame.Doubles("p")[i]);
        }
        var controls = models.Select(m => rows.Any(i => frame.Longs("model")[i] == m && !frame.Bools("key_term")[i])).ToList();
        var extraRows = new List<GridRow> { new(labels["row.controls"], [.. controls.Select(c => labels[c ? "yes" : "no"])]) };
        if (extra is not null)
        {
            var perModel = models.Select(m => extra(m)).ToList();
            foreach (var label in perModel.SelectMany(p => p.Select(x => x.Label)).Distinct(StringComparer.Ordinal))
                extraRows.Add(new GridRow(label, [.. perModel.Select(p => p.FirstOrDefault(x => x.Label == label).Value ?? "")]));
        }
        var stats = new List<GridRow>
        {
            new(labels["row.city_fe"], [.. models.Select(_ => labels["yes"])]),
            new(labels["row.year_fe"], [.. models.Select(_ => labels["yes"])]),
            new(labels["row.n"], [.. first.Select(i => RegressionLayout.Count(frame.Longs("n")[i]))]),
            new(labels["row.r2"], [.. first.Select(i => RegressionLayout.Fixed(frame.Doubles("r2")[i], 3))]),
            new(labels["row.r2_within"], [.. first.Select(i => RegressionLayout.Fixed(frame.Doubles("r2_within")[i], 3))]),
            new(labels["row.clusters"], [.. first.Select(i => RegressionLayout.Count(frame.Longs("clusters")[i]))]),
        };
        return new RegressionGrid(Heads([.. first.Select(i => ModelHead(frame.Strings("label")[i] ?? "", frame.Strings("outcome")[i] ?? ""))]),
            [new RegressionPanel(null, terms)], cells, extraRows, stats);
    }

    /// <summary>
    /// Specifications as columns and treatments as coefficient rows, from rows of the robustness stage's estimate
    /// schema; the fixed effects every robustness specification keeps (city FE; year FE except
    /// <see cref="ProvinceYearFe"/>), and N, R², within R² and clusters of each treatment's regression.
    /// </summary>
    public RegressionGrid FromSpecifications(Frame frame, IReadOnlyList<string> specifications, IReadOnlyList<string> treatments)
    {
        var specs = specifications.Where(s => Row(frame, s, treatments) is not null).ToList();
        var cells = new Dictionary<(int, int, string), Coefficient>();
        for (var c = 0; c < specs.Count; c++)
        {
            foreach (var t in treatments)
            {
                var i = Row(frame, specs[c], [t]);
                if (i is { } r)
                    cells[(0, c, t)] = new Coefficient(frame.Doubles("estimate")[r], frame.Doubles("se")[r], frame.Doubles("p")[r]);
            }
        }
        var stats = new List<GridRow>
        {
            new(labels["row.city_fe"], [.. specs.Select(_ => labels["yes"])]),
            new(labels["row.year_fe"], [.. specs.Select(s => labels[s == ProvinceYearFe ? "spec.province_year_fe" : "yes"])]),
            new(labels["row.n"], [.. specs.Select(s => PerTreatment(frame, s, treatments, i => RegressionLayout.Count(frame.Longs("n")[i])))]),
            new(labels["row.r2"], [.. specs.Select(s => PerTreatment(frame, s, treatments, i => RegressionLayout.Fixed(frame.Doubles("r2")[i], 3)))]),
            new(labels["row.r2_within"], [.. specs.Select(s => PerTreatment(frame, s, treatments, i => RegressionLayout.Fixed(frame.Doubles("r2_within")[i], 3)))]),
            new(labels["row.clusters"], [.. specs.Select(s => PerTreatment(frame, s, treatments, i => RegressionLayout.Count(frame.Longs("clusters")[i])))]),
        };
        return new RegressionGrid([[.. specs.Select(s => labels["spec." + s])]], [new RegressionPanel(null, treatments)], cells, [], stats)
        {
            BelowTerm = WildBootstrapRows(frame, specs, treatments),
        };
    }

    /// <summary>
    /// A sample or fit statistic of a specification's column, printed by <paramref name="format"/> from a row: one value
    /// when every treatment's regression has the same (as printed), else each treatment's in the order of the
    /// coefficient rows, joined by " / " (each pilot is its own regression, on its own sample).
    /// </summary>
    private static string PerTreatment(Frame frame, string specification, IReadOnlyList<string> treatments, Func<int, string> format)
    {
        var values = treatments.Select(t => Row(frame, specification, [t])).OfType<int>().Select(format).ToList();
        return values.Distinct(StringComparer.Ordinal).Count() <= 1 ? values.FirstOrDefault() ?? "" : string.Join(" / ", values);
    }

    /// <summary>
    /// For each treatment some specification of the table tested by the wild cluster bootstrap (few clusters): the
    /// analytic clustered p and the wild-bootstrap p under its SE, so a reader compares them column by column.
    /// </summary>
    private Dictionary<(int Panel, string Term), IReadOnlyList<GridRow>> WildBootstrapRows(Frame frame, IReadOnlyList<string> specs, IReadOnlyList<string> treatments)
    {
        var below = new Dictionary<(int Panel, string Term), IReadOnlyList<GridRow>>();
        foreach (var t in treatments)
        {
            var rows = specs.Select(s => Row(frame, s, [t])).ToList();
            if (!rows.Any(i => i is { } r && double.IsFinite(frame.Doubles("p_wild_bootstrap")[r])))
                continue;
            below[(0, t)] =
            [
                new GridRow(labels["row.analytic_p"], [.. rows.Select(i => i is { } r ? P(frame.Doubles("p")[r]) : "")]),
                new GridRow(labels["row.wild_p"], [.. rows.Select(i => i is { } r ? P(frame.Doubles("p_wild_bootstrap")[r]) : "")]),
            ];
        }
        return below;
    }

    /// <summary>
    /// Column heads in one row, or in two when every head reads "group: model" (the pilot above its subgroup or the
    /// interaction model, as the heterogeneity tables label their columns).
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<string>> Heads(IReadOnlyList<string> heads)
    {
        var split = heads.Select(h => h.Split(": ", 2)).ToList();
        return split.All(p => p.Length == 2) ? [[.. split.Select(p => p[0])], [.. split.Select(p => p[1])]] : [heads];
    }

    /// <summary>The row of <paramref name="specification"/> for the first of <paramref name="treatments"/> that has one.</summary>
    public static int? Row(Frame frame, string specification, IReadOnlyList<string> treatments)
    {
        foreach (var t in treatments)
        {
            for (var i = 0; i < frame.RowCount; i++)
            {
                if (frame.Strings("specification")[i] == specification && frame.Strings("treatment")[i] == t)
                    return i;
            }
        }
        return null;
    }

    /// <summary>A model's column head: its label with every known name translated ("bb: central = 1" → "Broadband China: central city = 1").</summary>
    public string ModelHead(string label, string outcome)
    {
        var text = string.IsNullOrEmpty(label) ? outcome : label;
        var parts = text.Split([' '], StringSplitOptions.None).Select(w =>
        {
            var core = w.TrimEnd(':');
            return labels.Has(core) ? labels[core] + w[core.Length..] : w;
        });
        return string.Join(" ", parts);
    }

    public static string P(double p) =>
        double.IsNaN(p) ? "" : p < 0.001 ? "<0.001" : p.ToString("F3", CultureInfo.InvariantCulture);
}
