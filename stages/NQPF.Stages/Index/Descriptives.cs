namespace NQPF.Stages.Index;

/// <summary>
/// Table 1 of the study: N, mean, sd (n − 1), min, max of every numeric variable of clean/panel and of the index
/// (NaN cells are not counted; a variable with no value has n = 0 and NaN statistics; sd is NaN for n = 1).
/// </summary>
internal static class Descriptives
{
    public static Frame Of(params Frame[] frames)
    {
        var rows = frames.SelectMany(f => f.Columns).OfType<DoubleColumn>()
            .GroupBy(c => c.Name, StringComparer.Ordinal).Select(g => g.First())
            .Select(c => Summarise(c.Name, c.Values)).ToArray();
        return new Frame(
            new StringColumn("variable", rows.Select(r => (string?)r.Variable).ToArray()),
            new LongColumn("n", rows.Select(r => r.N).ToArray()),
            new DoubleColumn("mean", rows.Select(r => r.Mean).ToArray()),
            new DoubleColumn("sd", rows.Select(r => r.Sd).ToArray()),
            new DoubleColumn("min", rows.Select(r => r.Min).ToArray()),
            new DoubleColumn("max", rows.Select(r => r.Max).ToArray()));
    }

    private static (string Variable, long N, double Mean, double Sd, double Min, double Max) Summarise(string name, double[] values)
    {
        var x = values.Where(v => !double.IsNaN(v)).ToArray();
        if (x.Length == 0) return (name, 0, double.NaN, double.NaN, double.NaN, double.NaN);
        var mean = x.Average();
        var sd = x.Length > 1 ? Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1)) : double.NaN;
        return (name, x.Length, mean, sd, x.Min(), x.Max());
    }
}
