using Cronos;
using Microsoft.Extensions.Options;

namespace NQPF.Pipeline.Hosting;

/// <summary>Checks that the watch schedule parses as a 5-field cron expression and that its time zone exists.</summary>
internal sealed class WatchOptionsValidator : IValidateOptions<WatchOptions>
{
    public ValidateOptionsResult Validate(string? name, WatchOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Schedule))
        {
            try
            {
                CronExpression.Parse(options.Schedule);
            }
            catch (CronFormatException ex)
            {
                errors.Add($"Watch:Schedule '{options.Schedule}' is not a cron expression: {ex.Message}");
            }
        }
        if (!string.IsNullOrWhiteSpace(options.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
            errors.Add($"Watch:TimeZone '{options.TimeZone}' is not a known time zone.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
