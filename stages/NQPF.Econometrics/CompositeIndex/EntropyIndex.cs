using System.Globalization;

namespace NQPF.Econometrics.CompositeIndex;

/// <summary>
/// The entropy-weight method (熵值法) for composite indices, as used for city-level NQPF indices.
/// <para>
/// For n rows (city-years, or cities of one year in per-year mode) and m indicators x_ij:
/// <list type="number">
/// <item>min–max normalisation over the n rows: x'_ij = (x_ij − min_j)/(max_j − min_j) for "+",
///   (max_j − x_ij)/(max_j − min_j) for "−";</item>
/// <item>shift against ln 0: x''_ij = x'_ij + A (A = 0.0001 by default; with A = 0 the convention 0·ln 0 = 0 applies);</item>
/// <item>shares p_ij = x''_ij / Σ_i x''_ij;</item>
/// <item>entropy e_j = −k Σ_i p_ij ln p_ij with k = 1/ln n, so 0 ≤ e_j ≤ 1;</item>
/// <item>divergence d_j = 1 − e_j (cut at 0 against rounding), weight w_j = d_j / Σ_k d_k;</item>
/// <item>score = Σ_j w_j x''_ij (or on x'_ij, ×100 optional): see <see cref="EntropyModel.Score"/>.</item>
/// </list>
/// </para>
/// <para>
/// Degenerate inputs: fewer than 2 rows (k = 1/ln 1 is infinite), a NaN/±∞ value, an all-missing column, duplicate
/// indicator names or mismatched column lengths throw <see cref="CompositeIndexException"/>. An indicator constant over
/// the rows carries no information: by definition x' = 0, e = 1, d = 0, weight 0 (reported by
/// <see cref="IndicatorWeight.IsConstant"/>). If every indicator is constant (Σd = 0) no weights exist and it throws.
/// </para>
/// <para>
/// Alternatives fitted alongside: the first principal component of the standardised normalised indicators (z = (x' −
/// mean)/sd with the n − 1 sample sd, i.e. an eigen-decomposition of their correlation matrix; constant indicators get
/// loading 0; the eigenvector's sign is fixed so that its loadings sum to a positive number — on this scale every
/// indicator is oriented "more is better", so a positive sum makes the component rise with development; ties at sum 0
/// are broken by making the largest absolute loading positive). TOPSIS and equal weights need no fitted parameters
/// beyond the bounds and weights.
/// </para>
/// Checked by hand on a 3×2 matrix and against an independent brute-force implementation (tests in
/// NQPF.Econometrics.Tests/CompositeIndex).
/// </summary>
public static class EntropyIndex
{
    /// <summary>Fits bounds, entropy weights and the PCA loadings on all rows (the "global", time-variable variant).</summary>
    public static EntropyModel Fit(IReadOnlyList<Indicator> indicators, IReadOnlyList<double[]> columns, EntropyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        options ??= new EntropyOptions();
        options.Validate();
        var names = indicators.Select(i => i.Name).ToArray();
        var n = CheckMatrix(names, columns, minRows: 2);
        var m = indicators.Count;

        var min = new double[m];
        var max = new double[m];
        var entropy = new double[m];
        var divergence = new double[m];
        var normalised = new double[m][];
        var lnN = Math.Log(n);
        for (var j = 0; j < m; j++)
        {
            var x = columns[j];
            min[j] = x.Min();
            max[j] = x.Max();
            var xn = new double[n];
            normalised[j] = xn;
            if (max[j] == min[j])
            {
                entropy[j] = 1.0;
                divergence[j] = 0.0;
                continue;
            }
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                xn[i] = EntropyModel.MinMax(x[i], min[j], max[j], indicators[j].Direction);
                sum += xn[i] + options.Shift;
            }
            var plnp = 0.0;
            for (var i = 0; i < n; i++)
            {
                var p = (xn[i] + options.Shift) / sum;
                if (p > 0) plnp += p * Math.Log(p);
            }
            entropy[j] = -plnp / lnN;
            divergence[j] = Math.Max(0.0, 1.0 - entropy[j]);
        }

        var totalDivergence = divergence.Sum();
        if (!(totalDivergence > 0))
            throw new CompositeIndexException(
                $"No indicator varies over the {n} rows ({string.Join(", ", names)}): entropy weights are undefined.");

        var pca = PrincipalComponent.Fit(normalised, min.Zip(max, (a, b) => a == b).ToArray());
        var weights = new IndicatorWeight[m];
        for (var j = 0; j < m; j++)
        {
            weights[j] = new IndicatorWeight(indicators[j].Name, indicators[j].Dimension, indicators[j].Direction,
                min[j], max[j], entropy[j], divergence[j], divergence[j] / totalDivergence,
                pca.Means[j], pca.Sds[j], pca.Loadings[j]);
        }
        return new EntropyModel(weights, options, n, pca.ExplainedShare);
    }

    /// <summary>
    /// Fits one model per group (per-year normalisation and weights: each year's cities only). Each group needs at
    /// least 2 rows; the error names the group.
    /// </summary>
    public static GroupedEntropyModel FitPerGroup(
        IReadOnlyList<Indicator> indicators, IReadOnlyList<double[]> columns, IReadOnlyList<long> groups, EntropyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(groups);
        var n = CheckMatrix(indicators.Select(i => i.Name).ToArray(), columns, minRows: 0);
        if (groups.Count != n)
            throw new CompositeIndexException($"There are {groups.Count} group labels for {n} rows.");
        var byGroup = new SortedDictionary<long, EntropyModel>();
        foreach (var g in groups.Distinct().Order())
        {
            var rows = RowsOf(groups, g);
            try
            {
                byGroup[g] = Fit(indicators, Subset(columns, rows), options);
            }
            catch (CompositeIndexException e)
            {
                throw new CompositeIndexException($"Group {g.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
            }
        }
        return new GroupedEntropyModel(byGroup);
    }

    /// <summary>Validates a column-major matrix against indicator names and returns its row count.</summary>
    internal static int CheckMatrix(IReadOnlyList<string> names, IReadOnlyList<double[]> columns, int minRows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (names.Count == 0) throw new CompositeIndexException("An index needs at least one indicator.");
        if (columns.Count != names.Count)
            throw new CompositeIndexException($"There are {columns.Count} data columns for {names.Count} indicators.");
        var duplicate = names.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new CompositeIndexException($"Indicator '{duplicate.Key}' is listed twice.");
        var n = columns[0].Length;
        for (var j = 0; j < names.Count; j++)
        {
            var x = columns[j];
            if (x.Length != n)
                throw new CompositeIndexException($"Indicator '{names[j]}' has {x.Length} rows but '{names[0]}' has {n}.");
            if (n > 0 && x.All(double.IsNaN))
                throw new CompositeIndexException($"Indicator '{names[j]}' has no values (all {n} rows missing).");
            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(x[i]))
                    throw new CompositeIndexException(
                        $"Indicator '{names[j]}' row {i.ToString(CultureInfo.InvariantCulture)} is {(double.IsNaN(x[i]) ? "missing (NaN)" : "infinite")}: impute or drop it first.");
            }
        }
        if (n < minRows)
            throw new CompositeIndexException(
                $"The entropy method needs at least {minRows} rows (k = 1/ln n), got {n}.");
        return n;
    }

    internal static int[] RowsOf(IReadOnlyList<long> groups, long g)
    {
        var rows = new List<int>();
        for (var i = 0; i < groups.Count; i++)
            if (groups[i] == g) rows.Add(i);
        return rows.ToArray();
    }

    internal static double[][] Subset(IReadOnlyList<double[]> columns, int[] rows) =>
        columns.Select(c => rows.Select(i => c[i]).ToArray()).ToArray();
}

/// <summary>One entropy model per group (year). <see cref="Score"/> scores each row with its own group's model.</summary>
public sealed record GroupedEntropyModel(IReadOnlyDictionary<long, EntropyModel> ByGroup)
{
    /// <summary>Scores each row with its group's model; a group without a model throws naming it.</summary>
    public IndexScores Score(IReadOnlyList<double[]> columns, IReadOnlyList<long> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var first = ByGroup.Values.First();
        var n = EntropyIndex.CheckMatrix(first.Indicators.Select(i => i.Indicator).ToArray(), columns, minRows: 0);
        if (groups.Count != n) throw new CompositeIndexException($"There are {groups.Count} group labels for {n} rows.");
        var entropy = new double[n];
        var topsis = new double[n];
        var equal = new double[n];
        var pca = new double[n];
        var sub = first.Dimensions.ToDictionary(d => d, _ => new double[n], StringComparer.Ordinal);
        var normalised = first.Indicators.Select(_ => new double[n]).ToArray();
        foreach (var g in groups.Distinct())
        {
            if (!ByGroup.TryGetValue(g, out var model))
                throw new CompositeIndexException($"No per-group model for group {g.ToString(CultureInfo.InvariantCulture)}.");
            var rows = EntropyIndex.RowsOf(groups, g);
            var s = model.Score(EntropyIndex.Subset(columns, rows));
            for (var r = 0; r < rows.Length; r++)
            {
                var i = rows[r];
                entropy[i] = s.Entropy[r];
                topsis[i] = s.Topsis[r];
                equal[i] = s.EqualWeights[r];
                pca[i] = s.Pca[r];
                foreach (var (d, v) in s.SubIndices) sub[d][i] = v[r];
                for (var j = 0; j < normalised.Length; j++) normalised[j][i] = s.Normalised[j][r];
            }
        }
        return new IndexScores(entropy, sub, topsis, equal, pca, normalised);
    }
}
