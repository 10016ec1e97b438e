namespace NQPF.Pipeline.Storage;

/// <summary>The moments of <see cref="LocalFileStore.WriteAtomicAsync"/> at which <see cref="IFileWriteHook"/>s are called.</summary>
internal enum WritePhase
{
    /// <summary>Before the temporary file is created.</summary>
    Creating,

    /// <summary>The first half of the content is in the temporary file (flushed to the OS); the rest is not.</summary>
    PartWritten,

    /// <summary>All content is in the temporary file and flushed to disk; the final name does not have it yet.</summary>
    BeforeRename,

    /// <summary>The file is complete under its final name; the caller (the runner) has not recorded it in the ledger yet.</summary>
    Renamed,
}

/// <summary>
/// Test seam inside the atomic write; production registers none. Fault-injection tests register a hook that throws
/// what a full disk, a denied permission or a locked file raises at that moment; crash tests start the real CLI with one (from the test
/// assembly's own entry point) that pauses there so the real process can be SIGKILLed in the middle of a write. An
/// exception from a hook is handled exactly like the same exception from the file system: the temporary file is
/// removed, transient faults are retried, the others end the write with a <see cref="StorageException"/>.
/// </summary>
internal interface IFileWriteHook
{
    ValueTask OnWriteAsync(WritePhase phase, string path, string tempPath, CancellationToken cancellationToken);
}
