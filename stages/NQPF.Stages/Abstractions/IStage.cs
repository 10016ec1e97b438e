using Microsoft.Extensions.Logging;

namespace NQPF.Stages;

/// <summary>
/// A pipeline stage: a pure transform from typed inputs to typed outputs. A stage opens no file and no database;
/// the runner loads its inputs, computes its fingerprint, decides whether to reuse an earlier result, and persists
/// what it returns. Stages do not catch: they throw a <see cref="PipelineException"/> subtype naming the bad input.
/// </summary>
public interface IStage
{
    /// <summary>Short lower-case name, e.g. "ingest". Also the CLI name for --from/--to.</summary>
    string Name { get; }

    /// <summary>Implementation version. Bump it whenever the same inputs would now give different outputs.</summary>
    int Version { get; }

    /// <summary>The configuration section this stage depends on (e.g. "Ingest"), bound to <see cref="Settings"/>.</summary>
    string ConfigSection { get; }

    /// <summary>
    /// The bound, validated options object. Its canonical JSON enters the fingerprint, so everything that changes
    /// the numbers must be in it.
    /// </summary>
    object Settings { get; }

    /// <summary>Datasets read from earlier stages, as "stage/name" (e.g. "ingest/panel").</summary>
    IReadOnlyList<string> Inputs { get; }

    /// <summary>
    /// The columns the stage reads of some of its <see cref="Inputs"/> ("stage/name" → column names): only those are
    /// loaded (every column when one of them is not in the table, so a missing column is reported with all the others).
    /// An input without an entry is loaded whole.
    /// </summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> InputColumns => new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Names of the frames this stage returns (each becomes &lt;name&gt;.parquet).</summary>
    IReadOnlyList<string> Outputs { get; }

    /// <summary>
    /// Source files the runner reads for this stage and passes as <see cref="StageContext.Sources"/> (config tables among
    /// them parsed once per run into <see cref="StageContext.Config"/>), hashed into the fingerprint. Each entry is a glob relative to a root: "raw:*" for the raw data folder, "config:policies/*.csv"
    /// for the config folder.
    /// </summary>
    IReadOnlyList<string> SourceGlobs { get; }

    /// <summary>
    /// Datasets read only when an earlier stage of the run produced them: "stage/name", or "stage/*" for every table of
    /// that stage. Absent ones are simply missing from <see cref="StageContext.Inputs"/> (a report renders what exists).
    /// "run/raw_files" is the run's raw-file listing (path, sha256, bytes) from the ledger.
    /// </summary>
    IReadOnlyList<string> OptionalInputs => [];

    /// <summary>
    /// Datasets (same forms as <see cref="OptionalInputs"/>) of the previous successful run, provided in
    /// <see cref="StageContext.Previous"/> only when that run's raw data differ from this run's: what changed when new
    /// data arrived. Their hashes enter the fingerprint.
    /// </summary>
    IReadOnlyList<string> PreviousInputs => [];

    StageResult Run(StageContext context, CancellationToken cancellationToken);
}

/// <summary>Everything a stage may use. Inputs are keyed "stage/name".</summary>
public sealed record StageContext(
    IReadOnlyDictionary<string, Frame> Inputs,
    IReadOnlyList<SourceFile> Sources,
    IProgress<StageProgress> Progress,
    ILogger Logger)
{
    /// <summary>Where a long stage checkpoints chunks of work; see <see cref="IStageMemo"/>.</summary>
    public IStageMemo Memo { get; init; } = NoStageMemo.Instance;

    /// <summary>Tables of the previous successful run (see <see cref="IStage.PreviousInputs"/>); empty when there is none.</summary>
    public IReadOnlyDictionary<string, Frame> Previous { get; init; } = new Dictionary<string, Frame>();

    /// <summary>Id of the run that <see cref="Previous"/> comes from, or null.</summary>
    public string? PreviousRunId { get; init; }

    private readonly Common.ConfigTables? _config;

    /// <summary>The configuration tables of the config files in <see cref="Sources"/>, parsed by the runner once per run.</summary>
    internal Common.ConfigTables Config
    {
        get => _config ?? throw new StageContractException("No configuration tables were given to the stage (StageContext.Config).");
        init => _config = value;
    }

    /// <summary>A dataset the stage declared and the runner provided; asking for any other is a stage defect.</summary>
    public Frame Input(string key) =>
        Inputs.TryGetValue(key, out var f) ? f
            : throw new StageContractException(
                $"The stage asked for '{key}', which it did not declare as an input (given: {string.Join(", ", Inputs.Keys)}).");
}

/// <summary>A source file's bytes, with its path relative to its root ("raw" or "config").</summary>
public sealed record SourceFile(string Root, string RelativePath, byte[] Content);

/// <summary>Progress of a long stage: done out of total units of work, with what is being done.</summary>
public readonly record struct StageProgress(long Done, long Total, string What);

/// <summary>
/// What a stage returns: frames persisted as Parquet checkpoints, and documents (Markdown, LaTeX, CSV, PNG, SVG,
/// HTML …) written as they are into the stage's folder of the run.
/// </summary>
public sealed record StageResult(IReadOnlyDictionary<string, Frame> Tables, IReadOnlyList<StageDocument> Documents)
{
    public StageResult(IReadOnlyDictionary<string, Frame> tables) : this(tables, []) { }
}

/// <summary>A rendered document. <paramref name="RelativePath"/> is a plain relative path (no "..", not rooted).</summary>
public sealed record StageDocument(string RelativePath, byte[] Content);
