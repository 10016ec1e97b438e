using System.ComponentModel.DataAnnotations;

namespace NQPF.Stages;

/// <summary>
/// The one way options are validated: DataAnnotations attributes and <see cref="IValidatableObject"/>, recursing into
/// nested option records. The host runs it at start-up for every stage's options (ValidateOnStart), so a stage
/// receives only valid options and does not validate them again.
/// </summary>
public static class OptionsValidation
{
    /// <summary>Every problem of <paramref name="options"/>, each prefixed with its path ("CohortsOptions.Timing: …").</summary>
    public static IReadOnlyList<string> Problems(object options, string path)
    {
        var errors = new List<string>();
        Collect(options, path, errors, depth: 0);
        return errors;
    }

    /// <summary>Throws a <see cref="ConfigValidationException"/> naming every problem, for options built outside the host.</summary>
    public static void ThrowIfInvalid(object options, string section)
    {
        var problems = Problems(options, section);
        if (problems.Count > 0)
            throw new ConfigValidationException($"Config section \"{section}\": {string.Join(" ", problems)}");
    }

    private static void Collect(object instance, string path, List<string> errors, int depth)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            foreach (var r in results)
                errors.Add($"{path}: {string.Join(", ", r.MemberNames)}: {r.ErrorMessage}");
        }
        if (depth > 4)
            return;
        foreach (var property in instance.GetType().GetProperties())
        {
            var type = property.PropertyType;
            if (type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
                && property.GetIndexParameters().Length == 0 && property.GetValue(instance) is { } child)
                Collect(child, $"{path}.{property.Name}", errors, depth + 1);
        }
    }
}
