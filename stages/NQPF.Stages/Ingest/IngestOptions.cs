using System.ComponentModel.DataAnnotations;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>What ingest does with a cell it cannot use: record a finding and leave the cell missing, or fail.</summary>
internal enum CellPolicy
{
    Finding,
    Error,
}

/// <summary>What ingest does when a column's values are off by a power of ten (<see cref="ScaleCheck"/>).</summary>
internal enum ScalePolicy
{
    Error,
    Convert,
}

/// <summary>What ingest does with a file it cannot read: fail the stage (after reading every other file and listing
/// every problem), or skip it and say so in the report.</summary>
internal enum BadFilePolicy
{
    Fail,
    Skip,
}

/// <summary>
/// Options of the ingest stage (config section "Ingest"). Policy, documented: bad files (empty, truncated, unreadable,
/// password-protected, too large, no recognisable header, a header without data rows, a conflicting duplicate within
/// the file, a recognised field in an unknown unit, a garbled unit row, a column off by a power of ten) are all read
/// and reported together, then fail the stage with messages naming file/sheet/row/column (<see cref="BadFilePolicy.Fail"/>),
/// or are skipped and listed (<see cref="BadFilePolicy.Skip"/>); a column off by a power of ten can instead be converted
/// and recorded (<see cref="ScalePolicy.Convert"/>). Several files may supply the same value: precedence and
/// disagreements are in <see cref="SourceMerger"/>. Bad cells (text in a numeric cell, an Excel error value, a value
/// outside the field's plausible bounds) become findings and missing cells by default (<see cref="CellPolicy.Finding"/>),
/// or fail the stage with <see cref="CellPolicy.Error"/>. Rows that cannot be attributed (unknown city or code, values
/// without a city, a code and a name naming different units) and province, total and footnote rows are skipped with a
/// finding; hidden sheets are skipped with a finding; merged cells count in every cell they cover. The committed corpus
/// tests/NQPF.Pipeline.Tests/Corpus/malformed (expected.csv) lists the message or finding for each kind of bad file.
/// </summary>
internal sealed record IngestOptions : IValidatableObject
{
    public const string SectionName = "Ingest";

    /// <summary>Raw files read, by extension (others, e.g. README.md, are listed as ignored in the report).</summary>
    public List<string> Extensions { get; init; } = [".csv", ".xlsx", ".xls"];

    public ReadLimits Limits { get; init; } = new();

    public CellPolicy OnUnparseableCell { get; init; } = CellPolicy.Finding;

    public CellPolicy OnOutOfRange { get; init; } = CellPolicy.Finding;

    public ScalePolicy OnScaleMismatch { get; init; } = ScalePolicy.Error;

    public BadFilePolicy OnBadFile { get; init; } = BadFilePolicy.Fail;

    /// <summary>Relative difference above which two files' values of one city-year-field are reported as a
    /// disagreement (the value of the file with precedence is kept either way).</summary>
    public double SourceTolerance { get; init; } = 0.005;

    /// <summary>How many leading rows of a sheet are searched for the header row.</summary>
    public int MaxHeaderSearchRows { get; init; } = 20;

    /// <summary>A yearbook header row must map at least this many fields of config/fields.json.</summary>
    public int MinMappedFields { get; init; } = 3;

    /// <summary>Text that starts a footnote row: reading of the sheet stops there.</summary>
    public List<string> FootnotePrefixes { get; init; } = ["注", "资料来源", "数据来源", "说明", "备注", "单位", "Note", "Source", "更多数据", "关注"];

    /// <summary>Header aliases of the growth-target file's columns.</summary>
    public List<string> TargetValueHeaders { get; init; } = ["经济增长目标", "地区生产总值增长目标", "GDP增长目标", "增长目标", "growth_target"];

    public List<string> TargetWordingHeaders { get; init; } = ["目标表述", "表述", "原文表述", "wording"];

    public List<string> TargetLevelHeaders { get; init; } = ["级别", "层级", "level"];

    /// <summary>Throws a <see cref="ConfigValidationException"/> naming every bad option (see <see cref="OptionsValidation"/>).</summary>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, SectionName);

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (Extensions.Count == 0 || Extensions.Any(e => !e.StartsWith('.')))
            yield return new ValidationResult("Ingest:Extensions must list extensions starting with '.' (e.g. \".csv\").");
        if (!(SourceTolerance >= 0))
            yield return new ValidationResult("Ingest:SourceTolerance must be a non-negative fraction (0.005 = 0.5 %).");
        if (MaxHeaderSearchRows < 1 || MinMappedFields < 1)
            yield return new ValidationResult("Ingest:MaxHeaderSearchRows and Ingest:MinMappedFields must be at least 1.");
        if (Limits.MaxFileBytes < 1 || Limits.MaxColumns < 1 || Limits.MaxRows < 1 || Limits.MaxLineChars < 1
            || Limits.MaxDecompressedBytes < 1 || Limits.MaxCompressionRatio < 1)
            yield return new ValidationResult("Ingest:Limits: every limit must be positive.");
    }
}
