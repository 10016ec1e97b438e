using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Runner;
using NQPF.Stages;

namespace NQPF.Pipeline.Stages;

/// <summary>Collects stage registrations into the service collection; see <see cref="PipelineDefinition"/>.</summary>
internal sealed class StageRegistry(IServiceCollection services, IConfiguration configuration)
{
    private readonly List<string> _order = [.. PipelineDefinition.Order];
    private readonly List<StageNode> _nodes = [];

    public IReadOnlyList<string> Order => _order;

    /// <summary>The stages registered with their reads and writes (see <see cref="StagePlan"/>'s checks).</summary>
    public IReadOnlyList<StageNode> Nodes => _nodes;

    /// <summary>
    /// Registers <typeparamref name="TStage"/> as a node of the graph: it may read <paramref name="reads"/> (dataset
    /// keys, "stage/*" patterns, <see cref="StageNode.PreviousPrefix"/> for the previous run's) and writes
    /// <paramref name="writes"/> (keys of its own stage).
    /// </summary>
    public StageRegistry Add<TStage, TOptions>(string configSection, IReadOnlyList<string> reads, IReadOnlyList<string> writes)
        where TStage : class, IStage
        where TOptions : class
    {
        _nodes.Add(StageNode.Create(typeof(TStage), reads, writes));
        return Add<TStage, TOptions>(configSection);
    }

    /// <summary>Registers <typeparamref name="TStage"/> with its options bound from <paramref name="configSection"/>,
    /// without a node: its own declarations are checked only against the other stages (test stages).</summary>
    public StageRegistry Add<TStage, TOptions>(string configSection)
        where TStage : class, IStage
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(configSection))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, DataAnnotationsOptionsValidator<TOptions>>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
        services.AddSingleton<IStage, TStage>();
        return this;
    }

    /// <summary>Adds a pipeline-side writer of a stage's results (Word, Excel); see <see cref="IDocumentRenderer"/>.</summary>
    public StageRegistry AddRenderer<TRenderer>() where TRenderer : class, IDocumentRenderer
    {
        services.AddSingleton<IDocumentRenderer, TRenderer>();
        return this;
    }

    /// <summary>Replaces the canonical order (test stages and plugins only).</summary>
    public StageRegistry UseOrder(params string[] names)
    {
        _order.Clear();
        _order.AddRange(names);
        return this;
    }
}

/// <summary>Start-up validation of an options object by <see cref="OptionsValidation"/>.</summary>
internal sealed class DataAnnotationsOptionsValidator<TOptions> : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = OptionsValidation.Problems(options, typeof(TOptions).Name);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// A stage as the pipeline definition lists it: the datasets it may read and those it writes. The stage's own
/// <see cref="IStage"/> declarations must stay within these (checked by <see cref="StagePlan"/>).
/// </summary>
internal sealed record StageNode(string Name, Type StageType, IReadOnlyList<string> Reads, IReadOnlyList<string> Writes)
{
    /// <summary>Marks a read of the previous successful run's dataset.</summary>
    public const string PreviousPrefix = "previous:";

    public static StageNode Create(Type stageType, IReadOnlyList<string> reads, IReadOnlyList<string> writes)
    {
        if (writes.Count == 0)
            throw new ArgumentException($"{stageType.Name} writes nothing.", nameof(writes));
        var name = Datasets.StageOf(writes[0]);
        var foreign = writes.FirstOrDefault(w => Datasets.StageOf(w) != name);
        if (foreign is not null)
            throw new ArgumentException($"{stageType.Name} writes '{foreign}', which is not a dataset of stage '{name}'.", nameof(writes));
        return new StageNode(name, stageType, reads, writes);
    }

    /// <summary>Marks a stage whose config files are named by its options (indicator system, year series).</summary>
    public const string AnyConfigFile = "config:*";

    private bool CoveredByAnyConfigFile(string read) => read.StartsWith("config:", StringComparison.Ordinal) && Reads.Contains(AnyConfigFile);

    /// <summary>The first declaration of <paramref name="stage"/> that this node does not list, or null.</summary>
    public string? FirstUndeclared(IStage stage)
    {
        var reads = stage.Inputs.Concat(stage.OptionalInputs)
            .Concat(stage.PreviousInputs.Select(p => PreviousPrefix + p));
        var read = reads.Concat(stage.SourceGlobs).FirstOrDefault(r => !Reads.Contains(r) && !CoveredByAnyConfigFile(r));
        if (read is not null)
            return $"reads '{read}'";
        var write = stage.Outputs.Select(o => Name + "/" + o).FirstOrDefault(w => !Writes.Contains(w));
        return write is null ? null : $"writes '{write}'";
    }
}
