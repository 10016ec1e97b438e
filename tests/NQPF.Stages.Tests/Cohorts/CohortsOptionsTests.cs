using NQPF.Stages.Cohorts;

namespace NQPF.Stages.Tests.Cohorts;

public class CohortsOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => Assert.Empty(OptionsValidation.Problems(new CohortsOptions(), CohortsOptions.SectionName));

    public static TheoryData<CohortsOptions, string> BadOptions => new()
    {
        { new CohortsOptions { SampleInput = "clean" }, "SampleInput must be a dataset \"stage/name\", not \"clean\"" },
        { new CohortsOptions { ClusterPolicy = "broadband_china" }, "are both \"broadband_china\"" },
        { new CohortsOptions { LargeClasses = ["huge"] }, "LargeClasses names unknown size classes: huge" },
        { new CohortsOptions { SizeClasses = [new() { Name = "big", MinPopulation = 1 }], LargeClasses = ["big"] }, "MinPopulation 0" },
        { new CohortsOptions { SoftWords = ["左右", "以上"] }, "both hard and soft: 以上" },
        { new CohortsOptions { TargetMajorityShare = 1 }, "TargetMajorityShare must be in [0, 1)" },
        { new CohortsOptions { TargetFirstYear = 2020, TargetLastYear = 2015 }, "TargetFirstYear 2020 is after TargetLastYear 2015" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadOption_ThrowsNamingIt(CohortsOptions options, string expected)
    {
        var ex = Assert.Throws<ConfigValidationException>(() => OptionsValidation.ThrowIfInvalid(options, CohortsOptions.SectionName));

        Assert.Contains("Config section \"Cohorts\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
