using System.Globalization;
using Microsoft.Extensions.Logging;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>Turns a stage's progress reports into log lines, at most one per interval (first and last always).</summary>
internal sealed class ProgressLogger(string stage, ILogger logger, TimeProvider time, TimeSpan interval) : IProgress<StageProgress>
{
    private readonly Lock _gate = new();
    private long _last = long.MinValue;

    public void Report(StageProgress value)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var done = value.Total > 0 && value.Done >= value.Total;
            if (!done && _last != long.MinValue && time.GetElapsedTime(_last, now) < interval)
                return;
            _last = now;
        }
        var percent = value.Total > 0 ? (100.0 * value.Done / value.Total).ToString("0", CultureInfo.InvariantCulture) + "%" : "…";
        logger.LogInformation("{Stage}: {Percent} ({Done}/{Total}) {What}", stage, percent, value.Done, value.Total, value.What);
    }
}
