namespace NQPF.Econometrics;

/// <summary>The design matrix has no full-rank solution for what was asked (e.g. the treatment is collinear with the fixed effects).</summary>
public sealed class RankDeficiencyException(string message) : Exception(message);

/// <summary>An iterative method did not reach its tolerance within its iteration limit.</summary>
public sealed class NonConvergenceException(string message) : Exception(message);
