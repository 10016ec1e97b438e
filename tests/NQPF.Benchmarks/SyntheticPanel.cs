using NQPF.Econometrics;

namespace NQPF.Benchmarks;

/// <summary>
/// A seeded synthetic panel y = 0.5·d + x1..x3 + unit effect + year effect + noise, the shape of the benchmarks' large
/// fits: <c>units × years</c> rows, optionally with a share of cells missing at random (an unbalanced panel).
/// </summary>
internal sealed class SyntheticPanel
{
    public SyntheticPanel(int units, int years, double missingShare, int seed)
    {
        var rng = new Random(seed);
        var unitEffect = Enumerable.Range(0, units).Select(_ => rng.NextDouble() * 4).ToArray();
        var yearEffect = Enumerable.Range(0, years).Select(_ => rng.NextDouble()).ToArray();
        var unit = new List<long>();
        var year = new List<long>();
        for (var u = 0; u < units; u++)
        {
            for (var t = 0; t < years; t++)
            {
                if (rng.NextDouble() >= missingShare)
                {
                    unit.Add(u);
                    year.Add(t);
                }
            }
        }
        var n = unit.Count;
        Y = new double[n];
        D = new double[n];
        X = [new double[n], new double[n], new double[n]];
        for (var i = 0; i < n; i++)
        {
            var u = (int)unit[i];
            var t = (int)year[i];
            D[i] = u % 3 == 0 && t >= years / 2 ? 1 : 0;
            var y = 0.5 * D[i] + unitEffect[u] + yearEffect[t] + rng.NextDouble() - 0.5;
            foreach (var x in X)
            {
                x[i] = rng.NextDouble() + 0.1 * unitEffect[u];
                y += x[i];
            }
            Y[i] = y;
        }
        Unit = Factor.FromLongs("unit", unit.ToArray());
        Year = Factor.FromLongs("year", year.ToArray());
    }

    public double[] Y { get; }
    public double[] D { get; }
    public double[][] X { get; }
    public Factor Unit { get; }
    public Factor Year { get; }
    public int Rows => Y.Length;

    public RegressionInput Input() =>
        new("y", Y, [new NamedColumn("d", D), new NamedColumn("x1", X[0]), new NamedColumn("x2", X[1]), new NamedColumn("x3", X[2])],
            [Unit, Year]);
}
