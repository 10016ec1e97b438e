namespace NQPF.Stages;

/// <summary>
/// Partial results of a long stage (placebo draws, bootstraps) that survive an interrupted attempt. The runner keeps
/// them per stage fingerprint, so a rerun of the same stage on the same inputs and settings finds the chunks the
/// killed attempt finished, and nothing else. Keys are short plain names chosen by the stage ([A-Za-z0-9_.-]); the
/// stage must put into the key everything that determines the chunk that is not already in its fingerprint.
/// </summary>
public interface IStageMemo
{
    /// <summary>The frame saved under <paramref name="key"/>, or null.</summary>
    Frame? TryLoad(string key);

    /// <summary>Saves <paramref name="frame"/> under <paramref name="key"/> (atomically: a crash leaves the old value or none).</summary>
    void Save(string key, Frame frame);
}

/// <summary>A memo that keeps nothing: every chunk is computed (the default when the runner supplies none).</summary>
public sealed class NoStageMemo : IStageMemo
{
    public static NoStageMemo Instance { get; } = new();

    private NoStageMemo() { }

    public Frame? TryLoad(string key) => null;

    public void Save(string key, Frame frame) { }
}
