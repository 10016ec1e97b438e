using System.Globalization;

namespace NQPF.Econometrics.Staggered;

/// <summary>Units (or rows) an estimator left out, with why. Findings are data: every result carries its drops.</summary>
/// <param name="Reason">Plain-language reason, naming the cohort or period concerned.</param>
/// <param name="Units">Number of units dropped for this reason.</param>
/// <param name="Rows">Number of unit-period rows dropped for this reason.</param>
internal sealed record SampleDrop(string Reason, int Units, int Rows);

/// <summary>
/// A staggered-adoption panel: one outcome observed for units over periods, each unit with its first treated period
/// (its cohort; 0 = never treated). Observations are kept sorted by unit then period.
/// Construction applies the sample rules every staggered estimator shares, and records each as a <see cref="SampleDrop"/>:
/// rows with a missing outcome or covariate are dropped; cohorts first treated at or before the first sample period
/// plus the anticipation window have no untreated pre-period and are dropped (R did drops them too); units never
/// observed untreated (first observed at or after their cohort's start) are dropped; cohorts first treated after the
/// last sample period are never treated within the sample and are recoded to 0 (R did's convention).
/// </summary>
internal sealed class StaggeredPanel
{
    /// <summary>What construction does with cohorts treated in the first sample period (printed with every result).</summary>
    public const string FirstPeriodCohortRule = "dropped (no untreated period)";

    private StaggeredPanel(
        string[] unitIds, long[] periods, long[] unitCohort, int[] obsUnit, int[] obsPeriod, double[] y,
        IReadOnlyDictionary<string, double[]> covariates, IReadOnlyList<SampleDrop> drops, IReadOnlyList<string> notes,
        int anticipation, string[] obsCluster, string clusterName, bool clusteredByUnit)
    {
        ObsCluster = obsCluster;
        ClusterName = clusterName;
        ClusteredByUnit = clusteredByUnit;
        UnitIds = unitIds;
        Periods = periods;
        UnitCohort = unitCohort;
        ObsUnit = obsUnit;
        ObsPeriod = obsPeriod;
        Y = y;
        Covariates = covariates;
        Drops = drops;
        Notes = notes;
        Anticipation = anticipation;
    }

    /// <summary>Unit keys, in the (ordinal) order units are indexed.</summary>
    public IReadOnlyList<string> UnitIds { get; }

    /// <summary>Distinct periods present after the sample rules, ascending.</summary>
    public long[] Periods { get; }

    /// <summary>Cohort (first treated period, 0 = never) of each unit.</summary>
    public long[] UnitCohort { get; }

    /// <summary>Unit index of each observation.</summary>
    public int[] ObsUnit { get; }

    /// <summary>Period index (into <see cref="Periods"/>) of each observation.</summary>
    public int[] ObsPeriod { get; }

    /// <summary>Outcome of each observation.</summary>
    public double[] Y { get; }

    /// <summary>Covariates by name, aligned with the observations.</summary>
    public IReadOnlyDictionary<string, double[]> Covariates { get; }

    /// <summary>Cluster key of each observation (the unit unless a cluster variable was given).</summary>
    public string[] ObsCluster { get; }

    /// <summary>Name of the cluster variable, printed in the SE recipes (the unit's name when clustering by unit).</summary>
    public string ClusterName { get; }

    /// <summary>True when no cluster variable was given (every unit its own cluster).</summary>
    public bool ClusteredByUnit { get; }

    public IReadOnlyList<SampleDrop> Drops { get; }

    /// <summary>Recodings that drop nothing (e.g. a cohort treated after the sample treated as never treated).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The anticipation window the sample rules used.</summary>
    public int Anticipation { get; }

    public int UnitCount => UnitIds.Count;

    public int PeriodCount => Periods.Length;

    public int ObservationCount => Y.Length;

    /// <summary>Treated cohorts present (ascending, no 0).</summary>
    public long[] Cohorts => UnitCohort.Where(g => g != 0).Distinct().Order().ToArray();

    /// <summary>Builds a panel from long-format columns (one row per unit and period).</summary>
    /// <param name="units">Unit key of each row.</param>
    /// <param name="periods">Period of each row.</param>
    /// <param name="cohorts">First treated period of the row's unit (0 or negative = never treated); constant within a unit.</param>
    /// <param name="y">Outcome (NaN = missing).</param>
    /// <param name="covariates">Optional covariates by name (NaN = missing).</param>
    /// <param name="anticipation">Anticipation periods δ ≥ 0: a unit counts as treated from g − δ on.</param>
    /// <param name="clusters">Optional cluster key of each row for regression-based SEs (default: the unit).</param>
    /// <param name="unitName">Name of the unit variable, printed in SE recipes when clustering by unit.</param>
    /// <param name="clusterName">Name of the cluster variable of <paramref name="clusters"/>, printed in SE recipes.</param>
    /// <exception cref="ArgumentException">Columns differ in length, a unit has two rows for one period, or two cohorts.</exception>
    public static StaggeredPanel Create(
        IReadOnlyList<string> units, ReadOnlySpan<long> periods, ReadOnlySpan<long> cohorts, ReadOnlySpan<double> y,
        IReadOnlyDictionary<string, double[]>? covariates = null, int anticipation = 0, IReadOnlyList<string?>? clusters = null,
        string unitName = "unit", string clusterName = "cluster")
    {
        // Kept as one function: validation and the keyed sort build every array of the panel in one pass over the rows, so
        // each error can name the row where it is found.
        int rows = units.Count;
        if (clusters is not null && clusters.Count != rows)
            throw new ArgumentException($"Cluster column has {clusters.Count} rows, the panel {rows}.");
        if (periods.Length != rows || cohorts.Length != rows || y.Length != rows)
            throw new ArgumentException($"Panel columns differ in length: unit {rows}, period {periods.Length}, cohort {cohorts.Length}, outcome {y.Length}.");
        ArgumentOutOfRangeException.ThrowIfNegative(anticipation);
        covariates ??= new Dictionary<string, double[]>();
        foreach (var (name, values) in covariates)
        {
            if (values.Length != rows)
                throw new ArgumentException($"Covariate '{name}' has {values.Length} rows, the panel {rows}.");
        }

        var drops = new List<SampleDrop>();
        var notes = new List<string>();

        var keep = RowsWithData(y, covariates, drops);

        // Units as integer codes in order of first appearance: every later step works on codes, not strings.
        var (unitCode, names) = UnitCodes(units);
        var cohortOf = UnitCohorts(units, cohorts, unitCode, names.Count);

        var distinctPeriods = new HashSet<long>();
        for (int r = 0; r < rows; r++)
            if (keep[r]) distinctPeriods.Add(periods[r]);
        if (distinctPeriods.Count < 2)
            throw new ArgumentException("A staggered panel needs at least two periods with data.");
        long first = distinctPeriods.Min(), last = distinctPeriods.Max();

        // Cohorts first treated after the sample are never treated within it (did recodes them to 0).
        foreach (var g in cohortOf.Where(g => g > last).Distinct().Order().ToArray())
        {
            int n = 0;
            for (int u = 0; u < cohortOf.Length; u++)
                if (cohortOf[u] == g) { cohortOf[u] = 0; n++; }
            notes.Add($"cohort {g.ToString(CultureInfo.InvariantCulture)} ({n.ToString(CultureInfo.InvariantCulture)} units) is first treated after the last period {last.ToString(CultureInfo.InvariantCulture)}: treated as never treated");
        }

        // First observed period of each unit, to find units never observed untreated.
        var firstSeen = new long[names.Count];
        Array.Fill(firstSeen, long.MaxValue);
        for (int r = 0; r < rows; r++)
            if (keep[r] && periods[r] < firstSeen[unitCode[r]]) firstSeen[unitCode[r]] = periods[r];

        var dropUnit = DroppedUnits(cohortOf, firstSeen, first, anticipation, unitCode, keep, drops);
        var unitIndex = new int[names.Count];
        Array.Fill(unitIndex, -1);
        var kept = Enumerable.Range(0, names.Count).Where(u => firstSeen[u] != long.MaxValue && !dropUnit[u])
            .OrderBy(u => names[u], StringComparer.Ordinal).ToArray();
        for (int i = 0; i < kept.Length; i++) unitIndex[kept[i]] = i;
        var unitIds = kept.Select(u => names[u]).ToArray();

        var order = new List<int>(rows);
        for (int r = 0; r < rows; r++)
            if (keep[r] && unitIndex[unitCode[r]] >= 0) order.Add(r);
        var periodArray = periods.ToArray();
        var periodsKept = order.Select(r => periodArray[r]).Distinct().Order().ToArray();
        var periodIndex = new Dictionary<long, int>(periodsKept.Length);
        for (int t = 0; t < periodsKept.Length; t++) periodIndex[periodsKept[t]] = t;

        var (obsUnit, obsPeriod, yOut, covOut, clusterOut) = Arrange(order, unitCode, unitIndex, periodArray, periodsKept.Length, periodIndex,
            units, y, covariates, clusters);

        var unitCohort = kept.Select(u => cohortOf[u]).ToArray();
        return new StaggeredPanel(unitIds, periodsKept, unitCohort, obsUnit, obsPeriod, yOut, covOut, drops, notes, anticipation, clusterOut,
            clusters is null ? unitName : clusterName, clusters is null);
    }

    /// <summary>The kept rows unit-major, then by period (one sort on a (unit index, period index) key), with their columns.</summary>
    private static (int[] ObsUnit, int[] ObsPeriod, double[] Y, Dictionary<string, double[]> Covariates, string[] Cluster) Arrange(
        List<int> order, int[] unitCode, int[] unitIndex, long[] periodArray, int periodCount, Dictionary<long, int> periodIndex,
        IReadOnlyList<string> units, ReadOnlySpan<double> y, IReadOnlyDictionary<string, double[]> covariates, IReadOnlyList<string?>? clusters)
    {
        int m = order.Count;
        var rowsSorted = order.ToArray();
        var sortKey = new long[m];
        for (int k = 0; k < m; k++)
            sortKey[k] = (long)unitIndex[unitCode[rowsSorted[k]]] * periodCount + periodIndex[periodArray[rowsSorted[k]]];
        Array.Sort(sortKey, rowsSorted);

        var obsUnit = new int[m];
        var obsPeriod = new int[m];
        var yOut = new double[m];
        var covOut = covariates.ToDictionary(kv => kv.Key, _ => new double[m], StringComparer.Ordinal);
        var covIn = covariates.Values.ToArray();
        var covTarget = covariates.Keys.Select(k => covOut[k]).ToArray();
        var clusterOut = new string[m];
        for (int k = 0; k < m; k++)
        {
            int r = rowsSorted[k];
            obsUnit[k] = (int)(sortKey[k] / periodCount);
            obsPeriod[k] = (int)(sortKey[k] % periodCount);
            yOut[k] = y[r];
            clusterOut[k] = clusters is null ? units[r]
                : clusters[r] ?? throw new ArgumentException($"Unit '{units[r]}' has a missing cluster value in period {periodArray[r].ToString(CultureInfo.InvariantCulture)}.");
            for (int c = 0; c < covIn.Length; c++) covTarget[c][k] = covIn[c][r];
            if (k > 0 && sortKey[k] == sortKey[k - 1])
                throw new ArgumentException(
                    $"Unit '{units[r]}' has two rows for period {periodArray[r].ToString(CultureInfo.InvariantCulture)}.");
        }
        return (obsUnit, obsPeriod, yOut, covOut, clusterOut);
    }

    /// <summary>Rows whose outcome and covariates are all present; the others are recorded as one drop.</summary>
    private static bool[] RowsWithData(ReadOnlySpan<double> y, IReadOnlyDictionary<string, double[]> covariates, List<SampleDrop> drops)
    {
        var keep = new bool[y.Length];
        int missingRows = 0;
        for (int r = 0; r < y.Length; r++)
        {
            bool ok = !double.IsNaN(y[r]);
            foreach (var values in covariates.Values)
                ok &= !double.IsNaN(values[r]);
            keep[r] = ok;
            if (!ok) missingRows++;
        }
        if (missingRows > 0)
            drops.Add(new SampleDrop("missing outcome or covariate", 0, missingRows));
        return keep;
    }

    private static (int[] Code, List<string> Names) UnitCodes(IReadOnlyList<string> units)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var code = new int[units.Count];
        for (int r = 0; r < code.Length; r++)
        {
            if (!index.TryGetValue(units[r], out var c))
            {
                c = names.Count;
                index[units[r]] = c;
                names.Add(units[r]);
            }
            code[r] = c;
        }
        return (code, names);
    }

    /// <summary>The cohort of each unit code (negative = 0); a unit with two cohorts is an error.</summary>
    private static long[] UnitCohorts(IReadOnlyList<string> units, ReadOnlySpan<long> cohorts, int[] unitCode, int count)
    {
        var cohortOf = new long[count];
        var seen = new bool[count];
        for (int r = 0; r < unitCode.Length; r++)
        {
            long g = cohorts[r] < 0 ? 0 : cohorts[r];
            int u = unitCode[r];
            if (!seen[u])
            {
                seen[u] = true;
                cohortOf[u] = g;
            }
            else if (cohortOf[u] != g)
            {
                throw new ArgumentException(
                    $"Unit '{units[r]}' has two cohorts ({cohortOf[u].ToString(CultureInfo.InvariantCulture)} and {g.ToString(CultureInfo.InvariantCulture)}); the first treated period must be constant within a unit.");
            }
        }
        return cohortOf;
    }

    /// <summary>Units of cohorts with no untreated period, and units never observed untreated; each rule's drop recorded.</summary>
    private static bool[] DroppedUnits(long[] cohortOf, long[] firstSeen, long first, int anticipation, int[] unitCode, bool[] keep, List<SampleDrop> drops)
    {
        var dropUnit = new bool[cohortOf.Length];
        foreach (var g in cohortOf.Where(g => g != 0 && g - anticipation <= first).Distinct().Order())
        {
            var members = new bool[cohortOf.Length];
            for (int u = 0; u < cohortOf.Length; u++) members[u] = cohortOf[u] == g;
            for (int u = 0; u < cohortOf.Length; u++) dropUnit[u] |= members[u];
            string why = anticipation == 0
                ? $"cohort {g.ToString(CultureInfo.InvariantCulture)} treated in the first sample period {first.ToString(CultureInfo.InvariantCulture)} (no untreated period)"
                : $"cohort {g.ToString(CultureInfo.InvariantCulture)} has no period before {first.ToString(CultureInfo.InvariantCulture)} + anticipation {anticipation.ToString(CultureInfo.InvariantCulture)} (no untreated period)";
            drops.Add(new SampleDrop(why, members.Count(b => b), CountRows(unitCode, keep, members)));
        }
        var neverUntreated = new bool[cohortOf.Length];
        for (int u = 0; u < cohortOf.Length; u++)
            neverUntreated[u] = firstSeen[u] != long.MaxValue && !dropUnit[u] && cohortOf[u] != 0 && firstSeen[u] >= cohortOf[u] - anticipation;
        int never = neverUntreated.Count(b => b);
        if (never > 0)
        {
            for (int u = 0; u < cohortOf.Length; u++) dropUnit[u] |= neverUntreated[u];
            drops.Add(new SampleDrop("units never observed untreated (first observed at or after their first treated period)",
                never, CountRows(unitCode, keep, neverUntreated)));
        }
        return dropUnit;
    }

    private static int CountRows(int[] unitCode, bool[] keep, bool[] members)
    {
        int n = 0;
        for (int r = 0; r < unitCode.Length; r++)
            if (keep[r] && members[unitCode[r]]) n++;
        return n;
    }

    /// <summary>
    /// The balanced sub-panel the 2×2-based estimators (Callaway–Sant'Anna, Goodman-Bacon) need: units observed in
    /// every period. Units with a gap are dropped and recorded (R did's makeBalancedPanel does the same). A cluster
    /// variable other than the unit must be constant within unit (R did's rule): otherwise <see cref="ArgumentException"/>.
    /// </summary>
    public BalancedPanel Balance()
    {
        int T = PeriodCount;
        var count = new int[UnitCount];
        foreach (var i in ObsUnit) count[i]++;
        var keepUnits = Enumerable.Range(0, UnitCount).Where(i => count[i] == T).ToArray();
        var drops = Drops.ToList();
        int gapUnits = UnitCount - keepUnits.Length;
        if (gapUnits > 0)
            drops.Add(new SampleDrop("not observed in every period (balanced panel required)", gapUnits, count.Where(c => c != T).Sum()));

        int n = keepUnits.Length;
        var newIndex = new int[UnitCount];
        Array.Fill(newIndex, -1);
        for (int k = 0; k < n; k++) newIndex[keepUnits[k]] = k;
        var y = new double[n * T];
        var cov = Covariates.ToDictionary(kv => kv.Key, _ => new double[n * T], StringComparer.Ordinal);
        for (int o = 0; o < ObservationCount; o++)
        {
            int i = newIndex[ObsUnit[o]];
            if (i < 0) continue;
            y[i * T + ObsPeriod[o]] = Y[o];
            foreach (var (name, values) in Covariates) cov[name][i * T + ObsPeriod[o]] = values[o];
        }
        string[]? unitCluster = null;
        if (!ClusteredByUnit)
        {
            unitCluster = new string[n];
            for (int o = 0; o < ObservationCount; o++)
            {
                int i = newIndex[ObsUnit[o]];
                if (i < 0) continue;
                if (unitCluster[i] is null) unitCluster[i] = ObsCluster[o];
                else if (!string.Equals(unitCluster[i], ObsCluster[o], StringComparison.Ordinal))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Unit '{UnitIds[ObsUnit[o]]}' changes its {ClusterName} cluster ('{unitCluster[i]}' to '{ObsCluster[o]}' in period {Periods[ObsPeriod[o]]}); the multiplier bootstrap needs a time-invariant cluster variable."));
            }
        }
        return new BalancedPanel(
            keepUnits.Select(i => UnitIds[i]).ToArray(), Periods, keepUnits.Select(i => UnitCohort[i]).ToArray(), y, cov,
            drops, Notes, Anticipation, unitCluster, ClusterName);
    }
}

/// <summary>
/// A balanced panel in unit-major dense layout: <c>Y[i * T + t]</c> is unit i's outcome in period index t.
/// </summary>
internal sealed class BalancedPanel
{
    internal BalancedPanel(
        string[] unitIds, long[] periods, long[] cohort, double[] y, IReadOnlyDictionary<string, double[]> covariates,
        IReadOnlyList<SampleDrop> drops, IReadOnlyList<string> notes, int anticipation, string[]? unitCluster = null, string clusterName = "unit")
    {
        UnitCluster = unitCluster;
        ClusterName = clusterName;
        UnitIds = unitIds;
        Periods = periods;
        Cohort = cohort;
        Anticipation = anticipation;
        Y = y;
        Covariates = covariates;
        Drops = drops;
        Notes = notes;
    }

    public IReadOnlyList<string> UnitIds { get; }

    public long[] Periods { get; }

    /// <summary>Cohort of each unit (0 = never treated).</summary>
    public long[] Cohort { get; }

    /// <summary>Outcomes, unit-major: <c>Y[i * T + t]</c>.</summary>
    public double[] Y { get; }

    /// <summary>Covariates by name, same layout as <see cref="Y"/>.</summary>
    public IReadOnlyDictionary<string, double[]> Covariates { get; }

    public IReadOnlyList<SampleDrop> Drops { get; }

    public IReadOnlyList<string> Notes { get; }

    /// <summary>The anticipation window the sample rules used.</summary>
    public int Anticipation { get; }

    public int N => UnitIds.Count;

    public int T => Periods.Length;

    /// <summary>Treated cohorts present (ascending, no 0).</summary>
    public long[] Cohorts => Cohort.Where(g => g != 0).Distinct().Order().ToArray();

    /// <summary>Cluster of each unit for the multiplier bootstrap; null = every unit its own cluster.</summary>
    public string[]? UnitCluster { get; }

    /// <summary>Name of the cluster variable (the unit's name when <see cref="UnitCluster"/> is null).</summary>
    public string ClusterName { get; }
}
