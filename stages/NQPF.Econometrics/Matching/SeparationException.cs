namespace NQPF.Econometrics.Matching;

/// <summary>
/// The logit has (quasi-)complete separation: some fitted probabilities are numerically 0 or 1, so the maximum
/// likelihood estimate does not exist and the coefficients diverge. The message names how many observations are
/// separated and the regressor with the largest standardised coefficient, the usual culprit.
/// </summary>
public sealed class SeparationException(string message) : Exception(message);
