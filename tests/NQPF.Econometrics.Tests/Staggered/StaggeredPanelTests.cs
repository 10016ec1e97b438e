using NQPF.Econometrics.Staggered;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>Sample rules shared by the staggered estimators (hand-built panels; the expected counts follow from the rules).</summary>
public sealed class StaggeredPanelTests
{
    // Units: a (cohort 2001 = first period, dropped), b (2003), c (never), d (2009 > last period: recoded never),
    // e (2003, first observed 2003: never observed untreated), f (2003, misses 2002: dropped only by Balance()).
    private static StaggeredPanel Build(int anticipation = 0)
    {
        var units = new List<string>();
        var years = new List<long>();
        var cohorts = new List<long>();
        void Add(string u, long g, params long[] ys)
        {
            foreach (var y in ys) { units.Add(u); years.Add(y); cohorts.Add(g); }
        }
        Add("a", 2001, 2001, 2002, 2003, 2004);
        Add("b", 2003, 2001, 2002, 2003, 2004);
        Add("c", 0, 2001, 2002, 2003, 2004);
        Add("d", 2009, 2001, 2002, 2003, 2004);
        Add("e", 2003, 2003, 2004);
        Add("f", 2003, 2001, 2003, 2004);
        var y = years.Select((t, i) => (double)(t - 2000 + i)).ToArray();
        return StaggeredPanel.Create(units, years.ToArray(), cohorts.ToArray(), y, anticipation: anticipation);
    }

    [Fact]
    public void Create_FirstPeriodCohortAndNeverUntreatedUnits_DroppedWithCountsAndReasons()
    {
        var panel = Build();
        Assert.Equal(["b", "c", "d", "f"], panel.UnitIds);
        var first = Assert.Single(panel.Drops, d => d.Reason.Contains("first sample period", StringComparison.Ordinal));
        Assert.Equal(1, first.Units);
        Assert.Equal(4, first.Rows);
        Assert.Contains("2001", first.Reason, StringComparison.Ordinal);
        var never = Assert.Single(panel.Drops, d => d.Reason.Contains("never observed untreated", StringComparison.Ordinal));
        Assert.Equal(1, never.Units);
        Assert.Equal(2, never.Rows);
    }

    [Fact]
    public void Create_CohortAfterLastPeriod_RecodedAsNeverTreatedWithNote()
    {
        var panel = Build();
        Assert.Equal(0, panel.UnitCohort[panel.UnitIds.ToList().IndexOf("d")]);
        Assert.Contains(panel.Notes, n => n.Contains("2009", StringComparison.Ordinal));
    }

    [Fact]
    public void Balance_UnitWithGap_DroppedAndRecorded()
    {
        var balanced = Build().Balance();
        Assert.Equal(["b", "c", "d"], balanced.UnitIds);
        var gap = Assert.Single(balanced.Drops, d => d.Reason.Contains("every period", StringComparison.Ordinal));
        Assert.Equal(1, gap.Units);
        Assert.Equal(4, balanced.T);
        Assert.Equal(2003, balanced.Cohort[0]);
    }

    [Fact]
    public void Create_Anticipation_DropsCohortWithoutPrePeriod()
    {
        // With one anticipation period cohort 2003 still has 2001 before 2003 − 1; cohort 2002 would not.
        var panel = StaggeredPanel.Create(["a", "a", "b", "b", "c", "c"], [2001, 2002, 2001, 2002, 2001, 2002], [2002, 2002, 0, 0, 0, 0],
            [1, 2, 3, 4, 5, 6], anticipation: 1);
        Assert.DoesNotContain("a", panel.UnitIds);
        Assert.Contains(panel.Drops, d => d.Reason.Contains("anticipation", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_CohortChangesWithinUnit_ThrowsNamingUnit()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            StaggeredPanel.Create(["x", "x"], [2001, 2002], [2002, 2003], [1, 2]));
        Assert.Contains("'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DuplicateUnitPeriod_ThrowsNamingUnitAndPeriod()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            StaggeredPanel.Create(["x", "x", "y", "y"], [2001, 2001, 2001, 2002], [0, 0, 0, 0], [1, 2, 3, 4]));
        Assert.Contains("'x'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2001", ex.Message, StringComparison.Ordinal);
    }
}
