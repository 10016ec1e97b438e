using NQPF.Econometrics;
using NQPF.Econometrics.Matching;
using NQPF.Stages;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// The analysis verbs' estimators report what the data do not allow (a regressor collinear with the fixed effects, no
/// rows left, perfect separation, no convergence) as their own exceptions; on the command line these are errors in
/// the user's data, printed as one line naming the file, with exit code 1, not as a crash with a stack trace.
/// </summary>
internal static class ModelErrors
{
    public static bool IsAboutTheData(Exception ex) =>
        ex is ArgumentException or RankDeficiencyException or NonConvergenceException or SeparationException;

    /// <summary>Runs <paramref name="estimate"/>; an error about the data becomes a <see cref="DataValidationException"/> "file: what: message".</summary>
    public static T OnFile<T>(string file, string what, Func<T> estimate)
    {
        try
        {
            return estimate();
        }
        catch (Exception ex) when (IsAboutTheData(ex))
        {
            throw ToDataError(file, what, ex);
        }
    }

    /// <summary>"file: what: message", without the " (Parameter 'x')" an argument exception appends.</summary>
    public static DataValidationException ToDataError(string file, string what, Exception ex)
    {
        var message = ex is ArgumentException { ParamName: { } name }
            ? ex.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
            : ex.Message;
        return new DataValidationException($"{file}: {what}: {message}", ex);
    }
}
