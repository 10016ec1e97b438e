using System.Globalization;
using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics.Staggered;

/// <summary>Bootstrap standard errors (NaN for degenerate columns) and the sup-t critical value of the uniform band.</summary>
internal sealed record BootstrapResult(double[] Se, double CriticalValue, string Description);

/// <summary>Cluster of each unit (null = every unit its own cluster) and the cluster variable's name, for the printed recipe.</summary>
internal sealed record BootstrapClusters(IReadOnlyList<string>? UnitCluster, string Name)
{
    public static readonly BootstrapClusters Units = new(null, "unit");
}

/// <summary>
/// The multiplier bootstrap of R did 2.x (<c>mboot</c> with BMisc::multiplier_bootstrap): for draws b = 1..B and
/// i.i.d. weights V_i (Rademacher ±1, or Mammen), R*_bc = √n · (1/n) Σ_i V_i ψ_ic. Per column the bootstrap SE is
/// (q₀.₇₅ − q₀.₂₅)/(Φ⁻¹(0.75) − Φ⁻¹(0.25)) / √n with type-1 (inverse-ECDF) quantiles; the uniform critical value is
/// the type-1 (1−α) quantile over draws of max_c |R*_bc| / σ̂_c across the band columns.
/// Clustered (did's <c>clustervars</c>, Callaway &amp; Sant'Anna 2021 Remark 10): the influence functions are summed
/// within each of the G clusters, S_kc = Σ_{i∈k} ψ_ic, one weight V_k per cluster, R*_bc = √G · (1/G) Σ_k V_k S_kc,
/// and SE = σ̂_c · √G / n — so its square estimates Σ_k S_kc² / n², the cluster-robust variance; with every unit its
/// own cluster (G = n) it is the unclustered bootstrap exactly.
/// Degenerate columns (Σ_b R*² ≤ 10√ε, e.g. a universal-base reference cell) get NaN and are left out of the band.
/// Deterministic for a seed: one <see cref="Random"/> seeded explicitly, draws generated in order; the hot loop reuses
/// preallocated buffers (no per-draw allocation). R's draws cannot be reproduced (different generator), so the
/// values are checked against did's bootstrap only loosely (cs_mpdta.json "bootstrap", within Monte Carlo error).
/// </summary>
internal static class MultiplierBootstrap
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <param name="influence">Column-major n × columns influence functions: entry [c * n + i].</param>
    /// <param name="n">Number of units.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="bandColumns">The first <paramref name="bandColumns"/> columns form the uniform band.</param>
    /// <param name="settings">Draws, seed, weight type and α.</param>
    /// <param name="clusters">Cluster of each unit (null or <see cref="BootstrapClusters.Units"/>: the unit).</param>
    public static BootstrapResult Run(double[] influence, int n, int columns, int bandColumns, BootstrapSettings settings, BootstrapClusters? clusters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Draws, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bandColumns, columns);
        int draws = settings.Draws;
        var unitCluster = clusters?.UnitCluster;
        if (unitCluster is not null && unitCluster.Count != n)
            throw new ArgumentException($"Cluster column has {unitCluster.Count} units, the influence functions {n}.");

        // Row-major (unit, or cluster sum, by column) so the inner loop over columns is contiguous.
        int g = n;
        var clusterOf = Enumerable.Range(0, n).ToArray();
        if (unitCluster is not null)
        {
            var keys = unitCluster.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = new Dictionary<string, int>(keys.Length, StringComparer.Ordinal);
            for (int k = 0; k < keys.Length; k++) index[keys[k]] = k;
            for (int i = 0; i < n; i++) clusterOf[i] = index[unitCluster[i]];
            g = keys.Length;
        }
        var rows = new double[g * columns];
        for (int c = 0; c < columns; c++)
            for (int i = 0; i < n; i++) rows[clusterOf[i] * columns + c] += influence[c * n + i];

        var rng = new Random(settings.Seed);
        var weights = new double[g];
        var bytes = new byte[(g + 7) / 8];
        var bres = new double[draws * columns];
        double scale = 1.0 / Math.Sqrt(g);
        double mammenLow = (1 - Math.Sqrt(5)) / 2, mammenHigh = (1 + Math.Sqrt(5)) / 2;
        double mammenP = (Math.Sqrt(5) + 1) / (2 * Math.Sqrt(5));

        for (int b = 0; b < draws; b++)
        {
            if (settings.Weights == BootstrapWeights.Rademacher)
            {
                rng.NextBytes(bytes);
                for (int i = 0; i < g; i++) weights[i] = ((bytes[i >> 3] >> (i & 7)) & 1) == 1 ? 1.0 : -1.0;
            }
            else
            {
                for (int i = 0; i < g; i++) weights[i] = rng.NextDouble() < mammenP ? mammenLow : mammenHigh;
            }

            var acc = bres.AsSpan(b * columns, columns);
            for (int i = 0; i < g; i++)
            {
                double v = weights[i];
                var row = rows.AsSpan(i * columns, columns);
                for (int c = 0; c < columns; c++) acc[c] += v * row[c];
            }
            for (int c = 0; c < columns; c++) acc[c] *= scale;
        }

        var se = new double[columns];
        var sigma = new double[columns];
        var column = new double[draws];
        double iqrToSd = Normal.InvCDF(0, 1, 0.75) - Normal.InvCDF(0, 1, 0.25);
        for (int c = 0; c < columns; c++)
        {
            double ss = 0;
            for (int b = 0; b < draws; b++)
            {
                column[b] = bres[b * columns + c];
                ss += column[b] * column[b];
            }
            if (!(ss > Math.Sqrt(MachineEpsilon) * 10))
            {
                sigma[c] = se[c] = double.NaN;
                continue;
            }
            Array.Sort(column);
            double s = (QuantileType1(column, 0.75) - QuantileType1(column, 0.25)) / iqrToSd;
            sigma[c] = s <= Math.Sqrt(MachineEpsilon) * 10 ? double.NaN : s;
            se[c] = unitCluster is null ? sigma[c] / Math.Sqrt(n) : sigma[c] * Math.Sqrt(g) / n;
        }

        double crit = double.NaN;
        if (bandColumns > 0)
        {
            var supT = new List<double>(draws);
            for (int b = 0; b < draws; b++)
            {
                double m = double.NegativeInfinity;
                for (int c = 0; c < bandColumns; c++)
                    if (!double.IsNaN(sigma[c])) m = Math.Max(m, Math.Abs(bres[b * columns + c] / sigma[c]));
                if (double.IsFinite(m)) supT.Add(m);
            }
            if (supT.Count > 0)
            {
                var sorted = supT.ToArray();
                Array.Sort(sorted);
                crit = QuantileType1(sorted, 1 - settings.Alpha);
            }
        }
        string description = string.Create(CultureInfo.InvariantCulture,
            $"multiplier bootstrap, {draws} draws, {settings.Weights} weights, seed {settings.Seed}, uniform band at {1 - settings.Alpha:0.###}")
            + (unitCluster is null ? "" : string.Create(CultureInfo.InvariantCulture, $", clustered by {clusters!.Name} (G = {g}, one weight per cluster)"));
        return new BootstrapResult(se, crit, description);
    }

    /// <summary>R's quantile(type = 1) on sorted data: the smallest x with ECDF(x) ≥ p.</summary>
    internal static double QuantileType1(double[] sorted, double p)
    {
        int m = sorted.Length;
        double np = m * p;
        int j = (int)Math.Floor(np);
        double g = np - j;
        int index = g > 0 ? j + 1 : j; // 1-based
        index = Math.Clamp(index, 1, m);
        return sorted[index - 1];
    }
}
