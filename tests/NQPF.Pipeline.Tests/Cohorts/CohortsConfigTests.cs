using Microsoft.Extensions.Configuration;
using NQPF.Stages.Cohorts;

namespace NQPF.Pipeline.Tests.Cohorts;

public class CohortsConfigTests
{
    private static CohortsOptions Bind() =>
        new ConfigurationBuilder().AddJsonFile(RepoPaths.Config("appsettings.json")).Build()
            .GetSection(CohortsOptions.SectionName).Get<CohortsOptions>()
        ?? throw new InvalidOperationException("appsettings.json has no Cohorts section.");

    [Fact]
    public void Bind_DefaultAppSettings_EqualsCodeDefaultsWithoutAppendedListItems()
    {
        var bound = Bind();

        Assert.Empty(bound.Problems());
        Assert.Equal(CohortsFrames.SettingRows(new CohortsOptions().Resolved()), CohortsFrames.SettingRows(bound.Resolved()));
        Assert.Equal(5, bound.SizeClassList.Count);
    }
}
