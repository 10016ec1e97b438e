namespace NQPF.Pipeline.Cli;

/// <summary>Process exit codes of every verb.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Cancelled = 130;
}
