namespace NQPF.Stages.Cohorts;

/// <summary>Which of the two evaluated pilots are in force in a city-year, and the dummies derived from them.</summary>
public readonly record struct TreatmentStatus(bool Bb, bool Cl)
{
    /// <summary>Both pilots in force.</summary>
    public bool Dual => Bb && Cl;

    /// <summary>Exactly one pilot in force.</summary>
    public bool Single => Bb != Cl;

    public bool Any => Bb || Cl;

    public bool BbOnly => Bb && !Cl;

    public bool ClOnly => Cl && !Bb;
}

/// <summary>
/// The treatment timing of one sample city: first treated year of Broadband China (<see cref="BbFirst"/>) and of the
/// cluster pilot (<see cref="ClFirst"/>), 0 = never treated within the panel.
/// </summary>
public sealed record CityCohort(string CityCode, int BbFirst, int ClFirst)
{
    /// <summary>Event time of a never-treated unit, as in fixest's staggered-DiD examples (<c>ref = -1000</c>).</summary>
    public const int NeverRelTime = -1000;

    public const string ClusterFirst = "cluster_first";
    public const string BroadbandFirst = "broadband_first";
    public const string SameYear = "same_year";
    public const string NoOrder = "none";

    /// <summary>First year with both pilots in force = max of the two first years; 0 unless the city gets both.</summary>
    public int DualFirst => BbFirst > 0 && ClFirst > 0 ? Math.Max(BbFirst, ClFirst) : 0;

    /// <summary>First year with any pilot in force = min of the non-zero first years; 0 if never treated.</summary>
    public int AnyFirst => (BbFirst, ClFirst) switch
    {
        (0, 0) => 0,
        (0, var c) => c,
        (var b, 0) => b,
        var (b, c) => Math.Min(b, c),
    };

    /// <summary>Order in which a dual city received its pilots; "none" unless it gets both within the panel.</summary>
    public string Order => DualFirst == 0 ? NoOrder
        : ClFirst < BbFirst ? ClusterFirst
        : BbFirst < ClFirst ? BroadbandFirst
        : SameYear;

    public TreatmentStatus At(int year) => new(BbFirst > 0 && year >= BbFirst, ClFirst > 0 && year >= ClFirst);

    /// <summary>year − first, or <see cref="NeverRelTime"/> when <paramref name="first"/> is 0 (never).</summary>
    public static int RelTime(int year, int first) => first == 0 ? NeverRelTime : year - first;
}
