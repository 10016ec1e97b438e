namespace NQPF.Stages.Cohorts;

/// <summary>Administrative level of a listed entity, which decides how the coding options treat it.</summary>
internal enum PolicyLevel
{
    /// <summary>A prefecture-level unit or municipality, or a member of a listed city cluster.</summary>
    Prefecture,

    /// <summary>A province-wide listing expanded to every prefecture of the province.</summary>
    Province,

    /// <summary>A district, county, county-level city or development zone, mapped to its prefecture.</summary>
    SubPrefecture,
}

/// <summary>
/// One row of a policy file under config/policies/. <see cref="CityCode"/> is the 6-digit code of the prefecture-level
/// unit the entry maps to, or null when the listed unit has no prefecture-level parent (e.g. 阿拉尔市, an XPCC city).
/// <see cref="Year"/> is the announcement (batch) year, or null when it is not known.
/// </summary>
internal sealed record PolicyEntry(
    string Policy,
    string File,
    int Line,
    string ListedName,
    string? PrefectureName,
    string? CityCode,
    string EntityType,
    PolicyLevel Level,
    string Batch,
    int? Year,
    string? ListedUnitCode,
    string Confidence,
    string Source,
    string Note)
{
    /// <summary>"file line N (listed name)", for error messages.</summary>
    public string Where => $"{File} line {Line} ('{ListedName}')";
}

/// <summary>A parsed policy file: its name (file stem), whether the list is complete, and its entries.</summary>
internal sealed record PolicyList(string Policy, string File, bool Complete, IReadOnlyList<PolicyEntry> Entries);
