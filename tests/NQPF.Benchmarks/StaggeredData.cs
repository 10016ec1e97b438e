using System.Globalization;
using NQPF.Econometrics.Staggered;
using NQPF.Tests.Shared;

namespace NQPF.Benchmarks;

/// <summary>
/// The staggered timing panels: 2,000 and 20,000 units × 10 periods read from tests/reference/datasets (R seed 20261206,
/// timing_staggered.R), and 200,000 units × 10 generated here with the same data-generating process (cohorts 4, 6, 8
/// or never in equal shares, x ~ N(0,1) time-invariant, y = 0.5·x + unit effect + 0.1·t + (1 + 0.1·(t − g)) once
/// treated + N(0,1) noise, rounded to 6 decimals), deterministic for its seed (R's generator is not reproduced).
/// </summary>
internal sealed record StaggeredData(string[] Unit, long[] Period, long[] Cohort, double[] X, double[] Y)
{
    public int Rows => Y.Length;

    public static StaggeredData Load(int units) => units switch
    {
        2_000 => Read(ReferenceFiles.Dataset("staggered_2000x10.csv")),
        20_000 => Read(ReferenceFiles.Dataset("staggered_20000x10.csv")),
        _ => Generate(units, 10, 20261206),
    };

    public StaggeredPanel Panel(bool withCovariate) => StaggeredPanel.Create(Unit, Period, Cohort, Y,
        withCovariate ? new Dictionary<string, double[]> { ["x"] = X } : null, unitName: "id", clusterName: "id");

    private static StaggeredData Read(string path)
    {
        var lines = File.ReadAllLines(path);
        int n = lines.Length - 1;
        var unit = new string[n];
        var period = new long[n];
        var cohort = new long[n];
        var x = new double[n];
        var y = new double[n];
        for (int r = 0; r < n; r++)
        {
            var f = lines[r + 1].Split(',');
            unit[r] = f[0];
            period[r] = long.Parse(f[1], CultureInfo.InvariantCulture);
            cohort[r] = long.Parse(f[2], CultureInfo.InvariantCulture);
            x[r] = double.Parse(f[3], CultureInfo.InvariantCulture);
            y[r] = double.Parse(f[4], CultureInfo.InvariantCulture);
        }
        return new StaggeredData(unit, period, cohort, x, y);
    }

    /// <summary>The DGP of timing_staggered.R at any size (Box–Muller normals from a seeded generator).</summary>
    public static StaggeredData Generate(int units, int periods, int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        long[] cohorts = [0, 4, 6, 8];
        int n = units * periods;
        var unit = new string[n];
        var period = new long[n];
        var cohort = new long[n];
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < units; i++)
        {
            long g = cohorts[rng.Next(cohorts.Length)];
            double xi = Math.Round(Normal(), 6);
            double alpha = Normal();
            string id = (i + 1).ToString(CultureInfo.InvariantCulture);
            for (int t = 1; t <= periods; t++)
            {
                int r = i * periods + t - 1;
                double effect = g > 0 && t >= g ? 1 + 0.1 * (t - g) : 0;
                unit[r] = id;
                period[r] = t;
                cohort[r] = g;
                x[r] = xi;
                y[r] = Math.Round(0.5 * xi + alpha + 0.1 * t + effect + Normal(), 6);
            }
        }
        return new StaggeredData(unit, period, cohort, x, y);
    }
}
