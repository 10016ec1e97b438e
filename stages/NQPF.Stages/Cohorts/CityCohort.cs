namespace NQPF.Stages.Cohorts;

/// <summary>Which of the two evaluated pilots are in force in a city-year, and the dummies derived from them.</summary>
internal readonly record struct TreatmentStatus(bool Broadband, bool Cluster)
{
    /// <summary>Both pilots in force.</summary>
    public bool Dual => Broadband && Cluster;

    /// <summary>Exactly one pilot in force.</summary>
    public bool Single => Broadband != Cluster;

    public bool Any => Broadband || Cluster;

    public bool BroadbandOnly => Broadband && !Cluster;

    public bool ClusterOnly => Cluster && !Broadband;
}

/// <summary>
/// The treatment timing of one sample city: first treated year of Broadband China (<see cref="BroadbandFirstYear"/>) and of the
/// cluster pilot (<see cref="ClusterFirstYear"/>), 0 = never treated within the panel.
/// </summary>
internal sealed record CityCohort(string CityCode, int BroadbandFirstYear, int ClusterFirstYear)
{
    /// <summary>Event time of a never-treated unit, as in fixest's staggered-DiD examples (<c>ref = -1000</c>).</summary>
    public const int NeverRelTime = -1000;

    public const string ClusterFirst = "cluster_first";
    public const string BroadbandFirst = "broadband_first";
    public const string SameYear = "same_year";
    public const string NoOrder = "none";

    /// <summary>First year with both pilots in force = max of the two first years; 0 unless the city gets both.</summary>
    public int DualFirst => BroadbandFirstYear > 0 && ClusterFirstYear > 0 ? Math.Max(BroadbandFirstYear, ClusterFirstYear) : 0;

    /// <summary>First year with any pilot in force = min of the non-zero first years; 0 if never treated.</summary>
    public int AnyFirst => (BroadbandFirstYear, ClusterFirstYear) switch
    {
        (0, 0) => 0,
        (0, var c) => c,
        (var b, 0) => b,
        var (b, c) => Math.Min(b, c),
    };

    /// <summary>Order in which a dual city received its pilots; "none" unless it gets both within the panel.</summary>
    public string Order => DualFirst == 0 ? NoOrder
        : ClusterFirstYear < BroadbandFirstYear ? ClusterFirst
        : BroadbandFirstYear < ClusterFirstYear ? BroadbandFirst
        : SameYear;

    public TreatmentStatus At(int year) => new(BroadbandFirstYear > 0 && year >= BroadbandFirstYear, ClusterFirstYear > 0 && year >= ClusterFirstYear);

    /// <summary>year − first, or <see cref="NeverRelTime"/> when <paramref name="first"/> is 0 (never).</summary>
    public static int RelTime(int year, int first) => first == 0 ? NeverRelTime : year - first;
}
