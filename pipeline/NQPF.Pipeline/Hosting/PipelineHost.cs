using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Stages;
using NQPF.Pipeline.Storage;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Hosting;

/// <summary>How to build a host: where config is, data-folder overrides, extra configuration, test hooks.</summary>
internal sealed record HostSettings
{
    /// <summary>Config folder; null means <see cref="ConfigLocator.Locate"/>.</summary>
    public string? ConfigDir { get; init; }

    /// <summary>Absolute raw folder from <c>--raw</c> (overrides Pipeline:RawDir).</summary>
    public string? RawDir { get; init; }

    /// <summary>Absolute processed folder from <c>--processed</c> (overrides Pipeline:ProcessedDir).</summary>
    public string? ProcessedDir { get; init; }

    /// <summary><c>--Section:Key=value</c> arguments, applied last.</summary>
    public IReadOnlyList<string> ConfigArguments { get; init; } = [];

    /// <summary>In-memory configuration applied after the config file and environment (tests).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>Registers the stages instead of <see cref="PipelineDefinition"/> (tests).</summary>
    public Action<StageRegistry>? RegisterStages { get; init; }

    /// <summary>Extra service registrations, applied last (verbs such as watch, fault-injecting tests).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}

/// <summary>
/// Builds the generic host every verb runs in: configuration from config/appsettings.json, then NQPF_* environment
/// variables, then in-memory overrides, then <c>--Section:Key=value</c> arguments; console logs on stderr (stdout is
/// kept for command output such as <c>runs --json</c>); options validated on start; the stage catalog.
/// </summary>
internal static class PipelineHost
{
    public const string EnvironmentPrefix = "NQPF_";

    public static IHost Build(HostSettings settings)
    {
        var configDir = settings.ConfigDir ?? ConfigLocator.Locate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "nqpf",
            ContentRootPath = configDir,
            EnvironmentName = Environment.GetEnvironmentVariable(EnvironmentPrefix + "ENVIRONMENT") ?? Environments.Production,
        });
        var configuration = builder.Configuration;
        configuration.AddJsonFile(Path.Combine(configDir, ConfigLocator.SettingsFile), optional: false, reloadOnChange: false);
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        var overrides = new Dictionary<string, string?>(settings.Overrides);
        if (settings.RawDir is not null)
            overrides[PipelineOptions.Section + ":" + nameof(PipelineOptions.RawDir)] = settings.RawDir;
        if (settings.ProcessedDir is not null)
            overrides[PipelineOptions.Section + ":" + nameof(PipelineOptions.ProcessedDir)] = settings.ProcessedDir;
        configuration.AddInMemoryCollection(overrides);
        configuration.AddCommandLine([.. settings.ConfigArguments]);

        ConfigureLogging(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new HostLocation(configDir));
        AddValidatedOptions<PipelineOptions>(services, configuration, PipelineOptions.Section);
        AddValidatedOptions<WatchOptions>(services, configuration, WatchOptions.Section);
        services.AddSingleton<IValidateOptions<WatchOptions>, WatchOptionsValidator>();
        services.AddSingleton<PipelinePaths>();
        services.AddSingleton<TransientFaults>();
        services.TryAddSingleton<IFileStore, LocalFileStore>();
        services.AddSingleton<LedgerDatabase>();
        services.AddSingleton<LedgerRepository>();
        services.AddSingleton<CheckpointStore>();
        services.AddSingleton<SourceScanner>();
        services.TryAddSingleton<ISheetReader, SheetReader>();
        services.TryAddSingleton<IFigureRenderer, NQPF.Pipeline.Figures.ScottPlotFigureRenderer>();
        services.AddSingleton<WriterLock>();
        services.AddSingleton<RunRecovery>();
        services.AddSingleton<LedgerHealth>();
        services.AddSingleton<StagePlan>();
        services.AddSingleton<RunDatasets>();
        services.AddSingleton<RunGuard>();
        services.AddSingleton<StageRenderers>();
        services.AddSingleton<ReusePlanner>();
        services.AddSingleton<StageExecutor>();
        services.AddSingleton<ReportPublisher>();
        services.AddSingleton<PipelineRunner>();
        services.AddSystemd();

        var registry = new StageRegistry(services, configuration);
        (settings.RegisterStages ?? PipelineDefinition.Register)(registry);
        services.AddSingleton(new StageOrder([.. registry.Order], [.. registry.Nodes]));

        settings.ConfigureServices?.Invoke(services);
        return builder.Build();
    }

    /// <summary>Runs the start-up validation (ValidateOnStart) and builds the stage plan, for verbs that do not start the host.</summary>
    public static void Validate(IServiceProvider services)
    {
        services.GetService<IStartupValidator>()?.Validate();
        services.GetRequiredService<StagePlan>();
    }

    private static void AddValidatedOptions<T>(IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, DataAnnotationsOptionsValidator<T>>());
    }

    private static void ConfigureLogging(HostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        // Formatter: "simple" (default, one line per event) or "json" (Logging:Console:FormatterName) for log shippers.
        builder.Logging.AddConsole();
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o => o.UseUtcTimestamp = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
