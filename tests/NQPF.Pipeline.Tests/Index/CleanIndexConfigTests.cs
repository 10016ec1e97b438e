using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Hosting;
using NQPF.Stages;
using NQPF.Stages.Clean;
using NQPF.Stages.Index;

namespace NQPF.Pipeline.Tests.Index;

/// <summary>The Clean and Index sections of the repository's appsettings.json bind to the documented defaults.</summary>
public sealed class CleanIndexConfigTests
{
    [Fact]
    public void DefaultConfig_Bind_CleanAndIndexOptionsAsDocumented()
    {
        using var host = PipelineHost.Build(new HostSettings
        {
            ConfigDir = Path.Combine(RepoPaths.Root, "config"),
            ConfigArguments = ["--Clean:MaxGap=2", "--Index:Times100=true"],
        });
        PipelineHost.Validate(host.Services);
        var stages = host.Services.GetServices<IStage>().ToDictionary(s => s.Name);
        var clean = (CleanOptions)stages["clean"].Settings;
        var index = (IndexOptions)stages["index"].Settings;
        Assert.Equal(["exchange_rates.csv"], clean.YearSeries);
        Assert.Equal(2, clean.MaxGap);
        Assert.Equal(2011, clean.FirstYear);
        Assert.Equal(0, clean.LastYear); // the last year with data: a new yearbook extends the panel
        Assert.Empty(clean.Log);
        Assert.True(index.Times100);
        Assert.Equal(1e-4, index.Shift);
        Assert.False(index.FixedBase);
        Assert.Equal(["config:indicators.json", "config:cities.csv", "config:city_changes.csv", "config:county_units.csv", "config:exchange_rates.csv"], stages["clean"].SourceGlobs);
    }

    [Fact]
    public void Config_FixedBaseWithPerYear_FailsValidation()
    {
        using var host = PipelineHost.Build(new HostSettings
        {
            ConfigDir = Path.Combine(RepoPaths.Root, "config"),
            ConfigArguments = ["--Index:BaseWeightsFile=base.json", "--Index:Normalisation=PerYear"],
        });
        var e = Assert.ThrowsAny<Exception>(() => PipelineHost.Validate(host.Services));
        Assert.Contains("BaseWeightsFile", e.Message, StringComparison.Ordinal);
    }
}
