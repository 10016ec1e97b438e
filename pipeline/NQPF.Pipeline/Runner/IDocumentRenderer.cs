using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// Turns a stage's returned tables into file formats the stage library does not know (Word, Excel): the
/// "datasets persist" half of a pure stage. The runner calls every renderer registered for a stage after the stage ran
/// and writes the documents beside the stage's own, as artifacts of the same stage run. The renderer's name and
/// <see cref="Version"/> enter the stage's fingerprint, so a changed writer re-renders instead of reusing old files.
/// </summary>
internal interface IDocumentRenderer
{
    /// <summary>The stage whose results this renderer formats, e.g. "report".</summary>
    string Stage { get; }

    /// <summary>Bump when the same tables would now render differently.</summary>
    int Version { get; }

    IReadOnlyList<StageDocument> Render(StageResult result, object settings);
}
