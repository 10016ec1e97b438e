namespace NQPF.Stages.Ingest;

/// <summary>One value of the long panel (canonical unit) with where it came from.</summary>
internal readonly record struct PanelRow(string CityCode, int Year, string Field, double Value, string Unit, string PrintedUnit,
    string SourceFile, string Sheet, int Row, string Column);

/// <summary>A finding: something ingest saw and handled (or could not use), located in the file.</summary>
internal sealed record Finding(string File, string Sheet, int Row, string Column, string City, string Kind, string Detail);

/// <summary>A growth target (% or NaN when none was set) with its wording, for a city or a province.</summary>
internal sealed record TargetRow(string CityCode, int Year, double GrowthTarget, string Wording, string Level, string Name,
    string SourceFile, int Row);

/// <summary>Finding kinds (the "kind" column of ingest/findings).</summary>
internal static class FindingKind
{
    public const string IgnoredFile = "ignored_file";
    public const string EmptySheet = "empty_sheet";
    public const string NoHeaderSheet = "sheet_without_header";
    public const string UnmappedHeader = "unmapped_header";
    public const string Rescaled = "unit_rescaled";
    public const string UnitRow = "unit_row";
    public const string ScopeRow = "scope_row";
    public const string UnknownCity = "unknown_city";
    public const string OutOfSample = "out_of_sample_unit";
    public const string NotValidInYear = "unit_not_valid_in_year";
    public const string AliasMatched = "alias_matched";
    public const string FormerNameMatched = "former_name_matched";
    public const string ProvinceRow = "province_row";
    public const string Footnote = "footnote_rows";
    public const string TitleRows = "title_rows";
    public const string DuplicateDropped = "duplicate_identical_dropped";
    public const string Unparseable = "unparseable_cell";
    public const string OutOfRange = "out_of_range";
    public const string ThousandsSeparator = "thousands_separators";
    public const string MissingMarkers = "missing_markers";
    public const string HiddenSheet = "hidden_sheet";
    public const string MissingCity = "row_without_city";
    public const string CodeNameMismatch = "code_name_mismatch";
    public const string CellsBeyondHeader = "cells_beyond_header";
    public const string YearSource = "year_source";
    public const string TotalRow = "total_row";
    public const string ScaleConverted = "scale_converted";
    public const string ScopeNotRead = "scope_not_read";
    public const string SectionRow = "section_row";
    public const string SourceOverlap = "source_overlap";
    public const string SourceDisagreement = "source_disagreement";
    public const string BadFileSkipped = "bad_file_skipped";
    public const string NamePairOneMatched = "city_name_pair_one_matched";
    public const string NamesDisagree = "city_names_disagree";
    public const string CountyLevelRow = "county_level_row";
    public const string UnitFromNote = "unit_from_note";
}

/// <summary>Per-file summary (ingest/report).</summary>
internal sealed record FileReport(
    string File,
    string Format,
    string Encoding,
    string Kind,
    int Year,
    int Sheets,
    string HeaderRows,
    int RowsRead,
    int DataRows,
    int CitiesMatched,
    int InSampleCities,
    string OutOfSampleUnits,
    int UnknownCities,
    string UnmappedHeaders,
    int MappedColumns,
    int ValuesParsed,
    int MissingCells,
    string MissingMarkers,
    int ThousandsSeparatorCells,
    int UnparseableCells,
    int OutOfRangeCells,
    int DuplicatesDropped,
    string Rescaled,
    string NamesMatchedByAlias,
    int NamesMatchedWithoutSuffix,
    int ProvinceRows,
    int FootnoteRows);
