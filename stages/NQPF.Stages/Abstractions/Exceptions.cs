namespace NQPF.Stages;

/// <summary>Base of the pipeline's domain errors. The message names the file, sheet, row, column, city or year.</summary>
public abstract class PipelineException : Exception
{
    protected PipelineException(string message) : base(message) { }
    protected PipelineException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Input data that cannot be used as it is (unparseable, inconsistent, out of range). Never retried.</summary>
public sealed class DataValidationException : PipelineException
{
    public DataValidationException(string message) : base(message) { }
    public DataValidationException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Configuration that cannot be used (unknown city in a policy list, bad option value).</summary>
public sealed class ConfigValidationException : PipelineException
{
    public ConfigValidationException(string message) : base(message) { }
}

/// <summary>A checkpoint or input that should exist does not, or does not verify.</summary>
public sealed class MissingCheckpointException : PipelineException
{
    public MissingCheckpointException(string message) : base(message) { }
}

/// <summary>
/// A stage broke its declared contract (returned a table it did not declare, left out one it did, read a dataset it
/// was not given). A defect in the stage, not a problem with the data: deliberately not a <see cref="PipelineException"/>,
/// so the runner reports it with its type and stack trace.
/// </summary>
public sealed class StageContractException : Exception
{
    public StageContractException(string message) : base(message) { }
}
