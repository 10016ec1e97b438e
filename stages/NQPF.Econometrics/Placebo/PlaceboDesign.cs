namespace NQPF.Econometrics.Placebo;

/// <summary>Which fake treatment a placebo draw assigns.</summary>
internal enum PlaceboKind
{
    /// <summary>The real cohort vector permuted across units: same number of treated units per cohort year, random units.</summary>
    Unit,
    /// <summary>Each treated unit's real cohort moved 1–3 years earlier (uniform per unit), estimated on pre-treatment rows only.</summary>
    Timing,
    /// <summary>As many treated units as in reality, drawn at random, each with a cohort year drawn uniformly from the sample years after the first.</summary>
    Mixed,
}

/// <summary>
/// The panel layout a placebo needs: per row the unit code (0 … U−1) and the year; per unit its real cohort (first
/// treated year, 0 = never treated). The fake treatment of a draw is d_it = 1[c_i &gt; 0 and year_t ≥ c_i] for the
/// cohort vector c of that draw.
/// </summary>
internal sealed class PlaceboDesign
{
    public PlaceboDesign(int[] unitOfRow, long[] yearOfRow, long[] realCohort, int minShift = 1, int maxShift = 3)
    {
        if (unitOfRow.Length != yearOfRow.Length)
            throw new ArgumentException($"{unitOfRow.Length} unit codes but {yearOfRow.Length} years.", nameof(yearOfRow));
        if (unitOfRow.Length == 0) throw new ArgumentException("The panel has no rows.", nameof(unitOfRow));
        if (minShift < 1 || maxShift < minShift)
            throw new ArgumentOutOfRangeException(nameof(maxShift), $"Timing shifts must satisfy 1 ≤ min ≤ max (got {minShift}–{maxShift}).");
        foreach (var u in unitOfRow)
        {
            if (u < 0 || u >= realCohort.Length)
                throw new ArgumentException($"Unit code {u} outside 0…{realCohort.Length - 1}.", nameof(unitOfRow));
        }
        UnitOfRow = unitOfRow;
        YearOfRow = yearOfRow;
        RealCohort = realCohort;
        MinShift = minShift;
        MaxShift = maxShift;
        FirstYear = yearOfRow.Min();
        LastYear = yearOfRow.Max();
        TreatedUnits = realCohort.Count(c => c > 0);
    }

    public int[] UnitOfRow { get; }

    public long[] YearOfRow { get; }

    public long[] RealCohort { get; }

    public int MinShift { get; }

    public int MaxShift { get; }

    public long FirstYear { get; }

    public long LastYear { get; }

    public int Units => RealCohort.Length;

    public int Rows => UnitOfRow.Length;

    public int TreatedUnits { get; }

    /// <summary>
    /// Rows a placebo of <paramref name="kind"/> is estimated on: every row, except for the timing placebo, which keeps
    /// never-treated units whole and treated units only before their real cohort year (so no real post-treatment
    /// outcome enters; the fake treatment then switches on inside the real pre-period).
    /// </summary>
    public bool[] Sample(PlaceboKind kind)
    {
        var include = new bool[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var c = RealCohort[UnitOfRow[i]];
            include[i] = kind != PlaceboKind.Timing || c == 0 || YearOfRow[i] < c;
        }
        return include;
    }

    /// <summary>
    /// The cohort vector of draw <paramref name="draw"/> (a pure function of seed and draw, see <see cref="DrawRandom"/>).
    /// Unit: Fisher–Yates permutation of the real cohorts. Timing: real cohort − s, s uniform on {min … max shift}, per
    /// treated unit. Mixed: a uniformly random set of as many units as are really treated, each with a year uniform
    /// on {first year + 1 … last year} (the first year is left out so every fake cohort has a pre-period).
    /// </summary>
    public long[] DrawCohorts(PlaceboKind kind, long seed, int draw)
    {
        var rng = new DrawRandom(seed, draw);
        var cohorts = new long[Units];
        switch (kind)
        {
            case PlaceboKind.Unit:
                RealCohort.CopyTo(cohorts, 0);
                rng.Shuffle(cohorts.AsSpan());
                break;
            case PlaceboKind.Timing:
                for (var u = 0; u < Units; u++)
                    cohorts[u] = RealCohort[u] == 0 ? 0 : RealCohort[u] - (MinShift + rng.NextInt(MaxShift - MinShift + 1));
                break;
            case PlaceboKind.Mixed:
                var order = Enumerable.Range(0, Units).ToArray();
                rng.Shuffle(order.AsSpan());
                var span = (int)(LastYear - FirstYear);
                if (span < 1) throw new ArgumentException("A mixed placebo needs at least two sample years.", nameof(kind));
                for (var k = 0; k < TreatedUnits; k++)
                    cohorts[order[k]] = FirstYear + 1 + rng.NextInt(span);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown placebo kind.");
        }
        return cohorts;
    }

    /// <summary>Writes d_it = 1[c_i &gt; 0 and year_t ≥ c_i] over all rows.</summary>
    public void FillTreatment(ReadOnlySpan<long> cohorts, Span<double> treatment)
    {
        if (cohorts.Length != Units) throw new ArgumentException($"{cohorts.Length} cohorts for {Units} units.", nameof(cohorts));
        for (var i = 0; i < Rows; i++)
        {
            var c = cohorts[UnitOfRow[i]];
            treatment[i] = c > 0 && YearOfRow[i] >= c ? 1.0 : 0.0;
        }
    }
}
