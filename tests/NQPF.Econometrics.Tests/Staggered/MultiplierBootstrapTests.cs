using System.Diagnostics;
using NQPF.Econometrics.Staggered;
using Xunit.Abstractions;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// Multiplier bootstrap. R's draws cannot be reproduced (different generator), so results are compared with did's
/// bootstrap (cs_mpdta.json "bootstrap", 1000 draws, Rademacher weights) within Monte Carlo error: the IQR-based SE
/// of 1000 draws has a relative standard deviation of about 4%, so 15% is a loose but failing-capable bound.
/// </summary>
public sealed class MultiplierBootstrapTests(ITestOutputHelper output)
{
    private static CsResult Analytic() => CallawaySantAnna.Estimate(ReferenceData.Mpdta().Balance(), new CsSettings());

    [Fact]
    public void Run_MpdtaAttGt_SesAndBandCloseToRDidBootstrap()
    {
        var reference = ReferenceData.Expected("cs_mpdta.json").GetProperty("bootstrap");
        var sw = Stopwatch.StartNew();
        var result = CallawaySantAnna.Estimate(ReferenceData.Mpdta().Balance(), new CsSettings(), new BootstrapSettings(1000, 20240601));
        sw.Stop();
        output.WriteLine($"CS on mpdta with 1000 bootstrap draws: {sw.Elapsed.TotalMilliseconds:F0} ms (first call, includes JIT)");

        var rows = reference.GetProperty("att_gt").EnumerateArray().ToArray();
        for (int c = 0; c < rows.Length; c++)
        {
            double rSe = rows[c].GetProperty("se").GetDouble();
            Assert.InRange(result.Cells[c].Se / rSe, 0.85, 1.15);
        }
        double rCrit = reference.GetProperty("att_gt_uniform_crit_val").GetDouble();
        Assert.InRange(result.CriticalValue / rCrit, 0.9, 1.1);
        Assert.Contains("1000 draws", result.Inference, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_DynamicWithBootstrap_CloseToRDidAndBandWiderThanPointwise()
    {
        var reference = ReferenceData.Expected("cs_mpdta.json").GetProperty("bootstrap").GetProperty("dynamic");
        var agg = CsAggregation.Aggregate(Analytic(), CsAggregationType.Dynamic, bootstrap: new BootstrapSettings(1000, 20240603));
        Assert.InRange(agg.Se / reference.GetProperty("overall_se").GetDouble(), 0.85, 1.15);
        var rows = reference.GetProperty("by").EnumerateArray().ToArray();
        for (int j = 0; j < rows.Length; j++)
            Assert.InRange(agg.By[j].Se / rows[j].GetProperty("se").GetDouble(), 0.85, 1.15);
        Assert.InRange(agg.CriticalValue, 1.96, 1.1 * reference.GetProperty("crit_val").GetDouble());
    }

    [Fact]
    public void Run_SameSeed_IdenticalAndOtherSeedDiffers()
    {
        var cs = Analytic();
        var a = CsAggregation.Aggregate(cs, CsAggregationType.Simple, bootstrap: new BootstrapSettings(200, 7));
        var b = CsAggregation.Aggregate(cs, CsAggregationType.Simple, bootstrap: new BootstrapSettings(200, 7));
        var c = CsAggregation.Aggregate(cs, CsAggregationType.Simple, bootstrap: new BootstrapSettings(200, 8));
        Assert.Equal(a.Se, b.Se);
        Assert.NotEqual(a.Se, c.Se);
    }

    [Fact]
    public void Run_MammenWeights_SeCloseToAnalytic()
    {
        var cs = Analytic();
        var analytic = CsAggregation.Aggregate(cs, CsAggregationType.Simple);
        var boot = CsAggregation.Aggregate(cs, CsAggregationType.Simple, bootstrap: new BootstrapSettings(2000, 11, BootstrapWeights.Mammen));
        Assert.InRange(boot.Se / analytic.Se, 0.9, 1.1);
    }

    [Fact]
    public void Run_UniversalBaseReferenceCell_SeIsNaNAndLeftOutOfBand()
    {
        var cs = CallawaySantAnna.Estimate(ReferenceData.Mpdta().Balance(), new CsSettings { Base = BasePeriod.Universal }, new BootstrapSettings(300, 3));
        var reference = cs.Cells.Where(c => c.Time == c.BasePeriod).ToArray();
        Assert.NotEmpty(reference);
        Assert.All(reference, c => Assert.True(double.IsNaN(c.Se)));
        Assert.True(double.IsFinite(cs.CriticalValue));
    }

    [Fact]
    public void QuantileType1_SmallSample_MatchesRDefinition()
    {
        // R: quantile(c(1,2,3,4), c(.25,.5,.75,.9), type = 1) = 1 2 3 4
        double[] x = [1, 2, 3, 4];
        Assert.Equal(1, MultiplierBootstrap.QuantileType1(x, 0.25));
        Assert.Equal(2, MultiplierBootstrap.QuantileType1(x, 0.5));
        Assert.Equal(3, MultiplierBootstrap.QuantileType1(x, 0.75));
        Assert.Equal(4, MultiplierBootstrap.QuantileType1(x, 0.9));
    }
}
