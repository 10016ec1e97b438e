using NQPF.Stages;

namespace NQPF.Pipeline.Storage;

/// <summary>
/// A file could not be written or read because of the storage, not the data: the disk is full, permission is denied,
/// or the file stayed locked by another process through every retry. The message names the file and the cause.
/// </summary>
internal sealed class StorageException : PipelineException
{
    // ENOSPC and EDQUOT (Linux), ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL (Windows).
    private static readonly HashSet<int> DiskFullHResults = [28, 122, unchecked((int)0x80070027), unchecked((int)0x80070070)];

    private StorageException(string message, Exception inner) : base(message, inner) { }

    /// <summary>True for the errors this type describes (I/O and permission errors, not missing files or bad data).</summary>
    public static bool Describes(Exception ex) =>
        ex is UnauthorizedAccessException or TransientIOException || ex.GetType() == typeof(IOException);

    public static StorageException Write(string path, Exception ex) => new($"Could not write '{path}': {Cause(ex)} ({ex.Message})", ex);

    public static StorageException Read(string path, Exception ex) => new($"Could not read '{path}': {Cause(ex)} ({ex.Message})", ex);

    private static string Cause(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission denied",
        _ when DiskFullHResults.Contains(ex.HResult) => "the disk is full",
        _ when TransientFaults.IsTransient(ex) => "the file is locked by another process (retried with backoff, still locked)",
        _ => "I/O error",
    };
}
