namespace NQPF.Econometrics.Placebo;

/// <summary>Where the real estimate falls in the placebo distribution.</summary>
/// <param name="Draws">Number of draws with a finite coefficient (B).</param>
/// <param name="Failed">Draws whose fake treatment was collinear with the FE (NaN coefficient), left out of B.</param>
/// <param name="AsExtreme">#{b : |β*_b| ≥ |β̂|}.</param>
/// <param name="PValue">Two-sided empirical p-value (1 + AsExtreme) / (1 + B).</param>
/// <param name="ShareSignificant">Share of draws with a conventional p &lt; 0.05 (about 5% when the SEs are right).</param>
internal sealed record PlaceboSummary(
    double RealEstimate, int Draws, int Failed, int AsExtreme, double PValue,
    double Mean, double Sd, double Q025, double Q500, double Q975, double ShareSignificant);

/// <summary>Inference from placebo draws.</summary>
internal static class PlaceboInference
{
    /// <summary>
    /// Empirical two-sided p-value of the real estimate β̂ against placebo coefficients β*_1…β*_B:
    /// p = (1 + #{|β*_b| ≥ |β̂|}) / (1 + B) — the real assignment counts as one of the B + 1 equally likely assignments
    /// under the sharp null, so p is never 0 and is exactly uniform on {1/(B+1), …, 1} under the null (Davison &amp;
    /// Hinkley 1997, eq. 4.11; Phipson &amp; Smyth 2010). NaN draws (collinear fake treatment) are left out of B and
    /// counted in Failed. Quantiles: R's type 7 (linear interpolation). Degenerate: B = 0 gives p = 1 and NaN moments.
    /// Checked by a uniformity test across seeds on null data and on hand cases.
    /// </summary>
    public static PlaceboSummary Summarise(double realEstimate, IReadOnlyList<double> coefficients, IReadOnlyList<double> pValues)
    {
        var finite = coefficients.Where(double.IsFinite).ToArray();
        var b = finite.Length;
        var extreme = finite.Count(v => Math.Abs(v) >= Math.Abs(realEstimate));
        var mean = b == 0 ? double.NaN : finite.Average();
        var sd = b < 2 ? double.NaN : Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (b - 1));
        Array.Sort(finite);
        var ps = pValues.Where(double.IsFinite).ToArray();
        return new PlaceboSummary(realEstimate, b, coefficients.Count - b, extreme, (1.0 + extreme) / (1.0 + b),
            mean, sd, Quantile(finite, 0.025), Quantile(finite, 0.5), Quantile(finite, 0.975),
            ps.Length == 0 ? double.NaN : ps.Count(p => p < 0.05) / (double)ps.Length);
    }

    /// <summary>R's type-7 quantile of sorted values: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)q. NaN when empty.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// Gaussian kernel density of <paramref name="values"/> on <paramref name="points"/> equally spaced points spanning
    /// the data ± 3 bandwidths, with Silverman's rule h = 0.9 · min(sd, IQR/1.34) · n^(−1/5) (R's <c>bw.nrd0</c>).
    /// Degenerate: fewer than 2 finite values → empty; zero spread falls back to sd, then |x₁|, then 1, as bw.nrd0.
    /// </summary>
    public static (double[] X, double[] Density) KernelDensity(IReadOnlyList<double> values, int points = 256)
    {
        var x = values.Where(double.IsFinite).ToArray();
        if (x.Length < 2) return ([], []);
        var first = x[0];
        Array.Sort(x);
        var n = x.Length;
        var mean = x.Average();
        var sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var iqr = Quantile(x, 0.75) - Quantile(x, 0.25);
        var spread = Math.Min(sd, iqr / 1.34);
        if (!(spread > 0)) spread = sd > 0 ? sd : Math.Abs(first) > 0 ? Math.Abs(first) : 1.0;
        var h = 0.9 * spread * Math.Pow(n, -0.2);
        var lo = x[0] - 3 * h;
        var step = (x[^1] + 3 * h - lo) / (points - 1);
        var gx = new double[points];
        var gy = new double[points];
        var norm = 1.0 / (n * h * Math.Sqrt(2 * Math.PI));
        for (var k = 0; k < points; k++)
        {
            gx[k] = lo + k * step;
            var s = 0.0;
            foreach (var v in x)
            {
                var u = (gx[k] - v) / h;
                s += Math.Exp(-0.5 * u * u);
            }
            gy[k] = s * norm;
        }
        return (gx, gy);
    }
}
