using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;

namespace NQPF.Stages.Cohorts;

/// <summary>When a listed city counts as treated, relative to the year its list was announced.</summary>
public enum TreatmentTiming
{
    /// <summary>Treated from the announcement year (the list's batch year).</summary>
    Announcement,

    /// <summary>Treated from the year after the announcement (lists announced late in the year).</summary>
    NextYear,
}

/// <summary>Whether entries of one administrative level make their prefecture treated.</summary>
public enum EntryCoding
{
    Include,
    Exclude,
}

/// <summary>What to do with a listed prefecture that is a known unit but not in the estimation sample.</summary>
public enum OutsideSampleHandling
{
    /// <summary>Leave it out of the outputs and list it in cohorts/dropped.</summary>
    DropAndReport,

    /// <summary>Fail with a <see cref="ConfigValidationException"/>.</summary>
    Error,
}

/// <summary>
/// What to do with a coded first year outside the panel: after its last year for any policy, before its first year for
/// the two evaluated policies (concurrent policies announced before the panel are simply in force throughout).
/// </summary>
public enum YearOutsidePanelHandling
{
    /// <summary>Fail naming the entry: the list does not fit this panel.</summary>
    Error,

    /// <summary>
    /// After the panel: never treated within it, entry reported in cohorts/dropped. Before it: treated from the
    /// panel's first year (no pre-period), reported in cohorts/dropped.
    /// </summary>
    Recode,
}

/// <summary>How a concurrent-policy entry without a known year is coded.</summary>
public enum UnknownYearHandling
{
    /// <summary>Flag the city in every panel year (membership is known, timing is not).</summary>
    InForceThroughout,

    /// <summary>Leave the city unflagged and report the entry in cohorts/dropped.</summary>
    Ignore,
}

/// <summary>How a growth-target wording with neither a hard nor a soft word is classified.</summary>
public enum UnmatchedWording
{
    Hard,
    Soft,
    Unclassified,
}

/// <summary>A city size class: population at or above <see cref="MinPopulation"/> persons (classes are tried from the largest).</summary>
public sealed record SizeClass
{
    public string Name { get; init; } = "";

    public double MinPopulation { get; init; }
}

/// <summary>Options of the cohorts stage (config section "Cohorts"). Every option is printed in cohorts/settings.</summary>
public sealed record CohortsOptions : IValidatableObject
{
    public const string SectionName = "Cohorts";

    /// <summary>Panel whose cities and years are the sample and the panel years (the balanced estimation panel).</summary>
    public string SampleInput { get; init; } = Datasets.Clean.Panel;

    /// <summary>Panel holding the population variable: long (city_code, year, field, value) or wide (one column per variable).</summary>
    public string PopulationInput { get; init; } = Datasets.Ingest.Panel;

    /// <summary>Growth targets (city and province rows).</summary>
    public string TargetsInput { get; init; } = Datasets.Ingest.Targets;

    /// <summary>Policy file (name without .csv under config/policies) of the Broadband China pilots.</summary>
    public string BroadbandPolicy { get; init; } = "broadband_china";

    /// <summary>Policy file of the innovative industrial cluster pilots.</summary>
    public string ClusterPolicy { get; init; } = "innovative_clusters";

    public TreatmentTiming Timing { get; init; } = TreatmentTiming.Announcement;

    /// <summary>Per-policy timing that replaces <see cref="Timing"/> (key: policy file name).</summary>
    public Dictionary<string, TreatmentTiming> TimingOverrides { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Districts, counties and county-level cities (e.g. 重庆 via its districts, 商丘 via 永城).</summary>
    public EntryCoding SubPrefectureEntries { get; init; } = EntryCoding.Include;

    /// <summary>Province-wide listings expanded to every prefecture of the province (e.g. low-carbon pilot provinces).</summary>
    public EntryCoding ProvinceEntries { get; init; } = EntryCoding.Include;

    public OutsideSampleHandling OutsideSample { get; init; } = OutsideSampleHandling.DropAndReport;

    public YearOutsidePanelHandling YearOutsidePanel { get; init; } = YearOutsidePanelHandling.Error;

    public UnknownYearHandling UnknownYear { get; init; } = UnknownYearHandling.InForceThroughout;

    /// <summary>
    /// Population variable (a field of a long panel or a column of a wide one): 全市 registered population (年末户籍人口)
    /// by default; "pop_registered_district" gives the 市辖区 population closer to the 2014 rule's urban population.
    /// </summary>
    public string PopulationField { get; init; } = "pop_registered";

    /// <summary>Multiplier from the panel's population unit to persons (10 000 when the panel holds 万人).</summary>
    public double PopulationScale { get; init; } = 10_000;

    /// <summary>
    /// Year whose population classifies a city's size; 0 = the panel's first year. A city without a value that year
    /// takes its value from the nearest year that has one (the earlier on a tie); the summary counts such cities.
    /// </summary>
    public int PopulationYear { get; init; }

    /// <summary>
    /// Size classes by population in persons; null = <see cref="DefaultSizeClasses"/>. The four lists below are null by
    /// default because the configuration binder appends configured items to a pre-filled list instead of replacing it.
    /// </summary>
    public IReadOnlyList<SizeClass>? SizeClasses { get; init; }

    /// <summary>
    /// Size classes that count as large (attribute <c>large</c> = 1); null = <see cref="DefaultLargeClasses"/>
    /// (特大 and 超大: population of at least 500万).
    /// </summary>
    public IReadOnlyList<string>? LargeClasses { get; init; }

    /// <summary>Wording that makes a growth target a hard constraint (hard words win over soft ones); null = defaults.</summary>
    public IReadOnlyList<string>? HardWords { get; init; }

    /// <summary>Wording that makes a growth target a soft constraint; null = defaults.</summary>
    public IReadOnlyList<string>? SoftWords { get; init; }

    /// <summary>国发〔2014〕51号 city-size thresholds (urban population): ≥1000万, 500–1000万, 100–500万, 50–100万, below.</summary>
    public static readonly IReadOnlyList<SizeClass> DefaultSizeClasses =
    [
        new() { Name = "super_large", MinPopulation = 10_000_000 },
        new() { Name = "mega", MinPopulation = 5_000_000 },
        new() { Name = "large", MinPopulation = 1_000_000 },
        new() { Name = "medium", MinPopulation = 500_000 },
        new() { Name = "small", MinPopulation = 0 },
    ];

    public static readonly IReadOnlyList<string> DefaultLargeClasses = ["super_large", "mega"];

    public static readonly IReadOnlyList<string> DefaultHardWords = ["确保", "以上", "不低于", "力保", "至少"];

    public static readonly IReadOnlyList<string> DefaultSoftWords = ["左右", "力争", "争取", "上下", "预期", "约"];

    [JsonIgnore]
    public IReadOnlyList<SizeClass> SizeClassList => SizeClasses ?? DefaultSizeClasses;

    [JsonIgnore]
    public IReadOnlyList<string> LargeClassList => LargeClasses ?? DefaultLargeClasses;

    [JsonIgnore]
    public IReadOnlyList<string> HardWordList => HardWords ?? DefaultHardWords;

    [JsonIgnore]
    public IReadOnlyList<string> SoftWordList => SoftWords ?? DefaultSoftWords;

    /// <summary>A copy with every defaulted list filled in: what the stage runs with and prints.</summary>
    public CohortsOptions Resolved() => this with
    {
        SizeClasses = SizeClassList, LargeClasses = LargeClassList, HardWords = HardWordList, SoftWords = SoftWordList,
    };

    public UnmatchedWording UnmatchedWording { get; init; } = UnmatchedWording.Unclassified;

    /// <summary>First year of the window over which a city's targets are classified; 0 = the panel's first year.</summary>
    public int TargetFirstYear { get; init; }

    /// <summary>Last year of the target window; 0 = the panel's last year.</summary>
    public int TargetLastYear { get; init; }

    /// <summary>
    /// A city is hard-target (intensified) when more than this share of its classified (compared) years are; the
    /// default 0.5 is a strict majority, so a 5-of-10 tie is not hard.
    /// </summary>
    public double TargetMajorityShare { get; init; } = 0.5;

    /// <summary>A year is intensified when the city target exceeds the province target by more than this many points.</summary>
    public double IntensificationMargin { get; init; }

    /// <summary>Timing used for <paramref name="policy"/>.</summary>
    public TreatmentTiming TimingFor(string policy) =>
        TimingOverrides.TryGetValue(policy, out var t) ? t : Timing;

    /// <summary>The start-up validation of the host (ValidateOnStart) reports the same problems.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        Problems().Select(p => new ValidationResult(p));

    /// <summary>Every problem of the options, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok) problems.Add(message);
        }

        foreach (var (name, key) in new[] { (nameof(SampleInput), SampleInput), (nameof(PopulationInput), PopulationInput), (nameof(TargetsInput), TargetsInput) })
            Require(key.Split('/') is [{ Length: > 0 }, { Length: > 0 }], $"{name} must be a dataset \"stage/name\", not \"{key}\".");
        Require(!string.IsNullOrWhiteSpace(BroadbandPolicy) && !string.IsNullOrWhiteSpace(ClusterPolicy),
            "BroadbandPolicy and ClusterPolicy must name policy files.");
        Require(BroadbandPolicy != ClusterPolicy, $"BroadbandPolicy and ClusterPolicy are both \"{BroadbandPolicy}\".");
        Require(!string.IsNullOrWhiteSpace(PopulationField), "PopulationField is empty.");
        Require(PopulationScale > 0 && double.IsFinite(PopulationScale),
            $"PopulationScale must be positive, not {PopulationScale.ToString(CultureInfo.InvariantCulture)}.");
        Require(SizeClassList.Count > 0, "SizeClasses is empty.");
        Require(SizeClassList.All(c => !string.IsNullOrWhiteSpace(c.Name)), "a size class has no name.");
        Require(SizeClassList.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() == SizeClassList.Count,
            "SizeClasses has two classes with the same name.");
        Require(SizeClassList.Any(c => c.MinPopulation <= 0),
            "SizeClasses needs a class with MinPopulation 0 so that every city has a class.");
        Require(SizeClassList.Select(c => c.MinPopulation).Distinct().Count() == SizeClassList.Count,
            "two size classes have the same MinPopulation.");
        var unknownLarge = LargeClassList.Where(l => SizeClassList.All(c => c.Name != l)).ToList();
        Require(unknownLarge.Count == 0,
            $"LargeClasses names unknown size classes: {string.Join(", ", unknownLarge)} (known: {string.Join(", ", SizeClassList.Select(c => c.Name))}).");
        Require(HardWordList.Count > 0 && HardWordList.All(w => !string.IsNullOrWhiteSpace(w)), "HardWords is empty or has an empty word.");
        Require(SoftWordList.Count > 0 && SoftWordList.All(w => !string.IsNullOrWhiteSpace(w)), "SoftWords is empty or has an empty word.");
        var both = HardWordList.Intersect(SoftWordList, StringComparer.Ordinal).ToList();
        Require(both.Count == 0, $"words listed as both hard and soft: {string.Join(", ", both)}.");
        Require(TargetMajorityShare is >= 0 and < 1,
            $"TargetMajorityShare must be in [0, 1), not {TargetMajorityShare.ToString(CultureInfo.InvariantCulture)}.");
        Require(IntensificationMargin >= 0 && double.IsFinite(IntensificationMargin),
            "IntensificationMargin must be a non-negative number.");
        Require(TargetFirstYear == 0 || TargetLastYear == 0 || TargetFirstYear <= TargetLastYear,
            $"TargetFirstYear {TargetFirstYear} is after TargetLastYear {TargetLastYear}.");
        return problems;
    }
}
