namespace NQPF.Pipeline.Runner;

/// <summary>What to run. <paramref name="From"/> reruns that stage and every later one (earlier ones are reused
/// when they verify); <paramref name="To"/> stops after that stage; <paramref name="Force"/> reuses nothing.</summary>
internal sealed record RunRequest(string Trigger, string? From = null, string? To = null, bool Force = false);

/// <summary>How a run ended.</summary>
internal sealed record RunOutcome(string RunId, string Status, string? Error)
{
    public bool Succeeded => Status == Ledger.RunStatus.Succeeded;
}
