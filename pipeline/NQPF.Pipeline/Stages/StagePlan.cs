using System.Globalization;
using System.Text.RegularExpressions;
using NQPF.Pipeline.Hosting;
using NQPF.Stages;

namespace NQPF.Pipeline.Stages;

/// <summary>A registered stage at its place in the run order.</summary>
internal sealed record PlannedStage(IStage Stage, int Position, string Folder)
{
    public string Name => Stage.Name;
}

/// <summary>The registered stages in run order, checked once at start-up.</summary>
internal sealed partial class StagePlan
{
    public StagePlan(IEnumerable<IStage> stages, StageOrder order)
    {
        var list = new List<PlannedStage>();
        foreach (var stage in stages)
        {
            var index = order.Names.ToList().IndexOf(stage.Name);
            if (index < 0)
                throw new ConfigValidationException(
                    $"Stage '{stage.Name}' ({stage.GetType().Name}) is not in the stage order ({string.Join(", ", order.Names)}).");
            if (list.Any(s => s.Name == stage.Name))
                throw new ConfigValidationException($"Stage '{stage.Name}' is registered twice.");
            foreach (var output in stage.Outputs)
            {
                if (!NamePattern().IsMatch(output))
                    throw new ConfigValidationException($"Stage '{stage.Name}' output '{output}' is not a snake_case name.");
            }
            foreach (var input in stage.Inputs)
            {
                if (!DatasetPattern().IsMatch(input))
                    throw new ConfigValidationException($"Stage '{stage.Name}' input '{input}' is not of the form \"stage/name\".");
            }
            foreach (var pattern in stage.OptionalInputs.Concat(stage.PreviousInputs))
            {
                if (!DatasetOrWildcardPattern().IsMatch(pattern))
                    throw new ConfigValidationException(
                        $"Stage '{stage.Name}' optional or previous-run input '{pattern}' is not of the form \"stage/name\" or \"stage/*\".");
            }
            if (stage.InputColumns.Keys.FirstOrDefault(key => !stage.Inputs.Contains(key)) is { } stray)
                throw new ConfigValidationException($"Stage '{stage.Name}' names columns of '{stray}', which is not one of its inputs ({string.Join(", ", stage.Inputs)}).");
            CheckAgainstDefinition(stage, order);
            list.Add(new PlannedStage(stage, index + 1, (index + 1).ToString("D2", CultureInfo.InvariantCulture) + "-" + stage.Name));
        }
        Stages = [.. list.OrderBy(s => s.Position)];
        AllNames = order.Names;
        Unrunnable = FindUnrunnable(Stages);
    }

    /// <summary>A stage listed in the pipeline definition may declare only the reads and writes listed there.</summary>
    private static void CheckAgainstDefinition(IStage stage, StageOrder order)
    {
        var node = order.Nodes.FirstOrDefault(n => n.StageType == stage.GetType());
        if (node is null)
            return;
        if (node.Name != stage.Name)
            throw new ConfigValidationException($"Stage {stage.GetType().Name} is named '{stage.Name}' but the pipeline definition lists it as '{node.Name}'.");
        if (node.FirstUndeclared(stage) is { } undeclared)
            throw new ConfigValidationException(
                $"Stage '{stage.Name}' {undeclared}, which the pipeline definition (PipelineDefinition.cs) does not list for it.");
    }

    /// <summary>
    /// Stages that cannot run in this build because an input comes from a stage that is not registered (yet), directly
    /// or through another such stage, with the reason. The runner skips them; the rest of the run proceeds.
    /// </summary>
    public IReadOnlyDictionary<string, string> Unrunnable { get; }

    private static Dictionary<string, string> FindUnrunnable(IReadOnlyList<PlannedStage> stages)
    {
        var unrunnable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var planned in stages)
        {
            foreach (var input in planned.Stage.Inputs)
            {
                var producerName = input[..input.IndexOf('/', StringComparison.Ordinal)];
                var output = input[(producerName.Length + 1)..];
                var producer = stages.FirstOrDefault(s => s.Name == producerName);
                if (producer is null)
                {
                    unrunnable.TryAdd(planned.Name, $"needs '{input}' but stage '{producerName}' is not registered");
                }
                else if (producer.Position >= planned.Position)
                {
                    throw new ConfigValidationException(
                        $"Stage '{planned.Name}' reads '{input}', but stage '{producerName}' runs after it.");
                }
                else if (!producer.Stage.Outputs.Contains(output))
                {
                    throw new ConfigValidationException(
                        $"Stage '{planned.Name}' reads '{input}', but stage '{producerName}' declares only: {string.Join(", ", producer.Stage.Outputs)}.");
                }
                else if (unrunnable.ContainsKey(producerName))
                {
                    unrunnable.TryAdd(planned.Name, $"needs '{input}' but stage '{producerName}' cannot run ({unrunnable[producerName]})");
                }
            }
        }
        return unrunnable;
    }

    public IReadOnlyList<PlannedStage> Stages { get; }

    public IReadOnlyList<string> AllNames { get; }

    /// <summary>The position of a stage named on the command line; registered stages only.</summary>
    public int PositionOf(string name)
    {
        var stage = Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        return stage?.Position ?? throw new UsageException(
            $"Unknown stage '{name}'. Registered stages: {(Stages.Count == 0 ? "none" : string.Join(", ", Stages.Select(s => s.Name)))}.");
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9_]+/[a-z0-9_]+$")]
    private static partial Regex DatasetPattern();

    [GeneratedRegex(@"^[a-z0-9_]+/([a-z0-9_]+|\*)$")]
    private static partial Regex DatasetOrWildcardPattern();
}

/// <summary>The stage names in run order (the pipeline definition's unless a test replaced it) and the registered nodes.</summary>
internal sealed record StageOrder(IReadOnlyList<string> Names, IReadOnlyList<StageNode> Nodes);
