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
