using static NQPF.Stages.RecordColumns;

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
            Text("variable", rows, r => r.Variable),
            Long("n", rows, r => r.N),
            Double("mean", rows, r => r.Mean),
            Double("sd", rows, r => r.Sd),
            Double("min", rows, r => r.Min),
            Double("max", rows, r => r.Max));
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
