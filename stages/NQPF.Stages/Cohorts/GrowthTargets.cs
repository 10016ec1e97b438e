namespace NQPF.Stages.Cohorts;

/// <summary>Constraint type of a growth-target wording.</summary>
public enum TargetConstraint
{
    Unclassified,
    Hard,
    Soft,
}

/// <summary>One row of ingest/targets: a city's or a province's GDP growth target (%) for a year and its wording.</summary>
internal sealed record GrowthTarget(string Code, int Year, double Target, string? Wording);

/// <summary>A city's growth-target attributes over the target window.</summary>
internal sealed record TargetProfile(
    int ClassifiedYears,
    double HardShare,
    int ComparedYears,
    double IntensifiedShare,
    bool Hard,
    bool Soft,
    bool Intensified)
{
    /// <summary>"hard", "soft" or "none" (no classified year in the window).</summary>
    public string Constraint => Hard ? "hard" : Soft ? "soft" : "none";
}

/// <summary>
/// Classifies growth-target wordings and profiles cities. A wording is hard if it contains any hard word (确保, 以上,
/// 不低于 …), else soft if it contains any soft word (左右, 力争 …), else it takes the configured unmatched class; hard
/// words win because a guaranteed floor binds even when a higher figure is only striven for ("确保8%，力争10%").
/// A year is intensified when the city target exceeds its province's target for the same year by more than the margin
/// (a municipality is its own province and is never intensified).
/// </summary>
internal sealed class GrowthTargets
{
    private readonly CohortsOptions _options;
    private readonly Dictionary<(string Code, int Year), GrowthTarget> _byCodeYear;
    private readonly int _firstYear;
    private readonly int _lastYear;

    public GrowthTargets(CohortsOptions options, IEnumerable<GrowthTarget> targets, int panelFirst, int panelLast)
    {
        _options = options;
        _byCodeYear = new Dictionary<(string, int), GrowthTarget>();
        foreach (var t in targets)
        {
            if (!_byCodeYear.TryAdd((t.Code, t.Year), t))
                throw new DataValidationException($"Growth targets: code {t.Code} has two rows for year {t.Year}.");
        }
        _firstYear = options.TargetFirstYear == 0 ? panelFirst : options.TargetFirstYear;
        _lastYear = options.TargetLastYear == 0 ? panelLast : options.TargetLastYear;
    }

    public (int First, int Last) Window => (_firstYear, _lastYear);

    /// <summary>
    /// Years of the window without any target row: a new yearbook year usually arrives before that year's targets
    /// file, and the profiles then rest on the other years (reported in cohorts/summary as target_years).
    /// </summary>
    public IReadOnlyList<int> YearsWithoutTargets()
    {
        var withTargets = _byCodeYear.Keys.Select(k => k.Year).ToHashSet();
        return [.. Enumerable.Range(_firstYear, _lastYear - _firstYear + 1).Where(y => !withTargets.Contains(y))];
    }

    public TargetConstraint Classify(string? wording)
    {
        if (string.IsNullOrWhiteSpace(wording)) return TargetConstraint.Unclassified;
        if (_options.HardWordList.Any(w => wording.Contains(w, StringComparison.Ordinal))) return TargetConstraint.Hard;
        if (_options.SoftWordList.Any(w => wording.Contains(w, StringComparison.Ordinal))) return TargetConstraint.Soft;
        return _options.UnmatchedWording switch
        {
            UnmatchedWording.Hard => TargetConstraint.Hard,
            UnmatchedWording.Soft => TargetConstraint.Soft,
            _ => TargetConstraint.Unclassified,
        };
    }

    /// <summary>Shares are NaN when no year of the window could be classified (or compared with the province).</summary>
    public TargetProfile Profile(CohortCity city)
    {
        int classified = 0, hard = 0, compared = 0, intensified = 0;
        for (var year = _firstYear; year <= _lastYear; year++)
        {
            if (!_byCodeYear.TryGetValue((city.Code, year), out var own)) continue;
            var constraint = Classify(own.Wording);
            if (constraint != TargetConstraint.Unclassified)
            {
                classified++;
                if (constraint == TargetConstraint.Hard) hard++;
            }
            if (city.ProvinceCode != city.Code
                && _byCodeYear.TryGetValue((city.ProvinceCode, year), out var province)
                && double.IsFinite(own.Target) && double.IsFinite(province.Target))
            {
                compared++;
                if (own.Target - province.Target > _options.IntensificationMargin) intensified++;
            }
        }
        var hardShare = classified == 0 ? double.NaN : (double)hard / classified;
        var intensifiedShare = compared == 0 ? double.NaN : (double)intensified / compared;
        var isHard = classified > 0 && hardShare > _options.TargetMajorityShare;
        return new TargetProfile(classified, hardShare, compared, intensifiedShare,
            isHard, classified > 0 && !isHard, compared > 0 && intensifiedShare > _options.TargetMajorityShare);
    }
}
