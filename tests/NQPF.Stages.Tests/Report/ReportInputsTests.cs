using NQPF.Stages.Tests.Robustness;

namespace NQPF.Stages.Tests.Report;

public sealed class ReportInputsTests
{
    [Fact]
    public void EventStudies_RobustnessStageOutput_HasEveryDeclaredTableAndColumn()
    {
        var stage = RobustnessFixture.Stage();
        var result = stage.Run(RobustnessFixture.Context(), CancellationToken.None);

        foreach (var table in ReportInputs.EventStudies)
        {
            Assert.Equal(Datasets.Robustness.Stage, Datasets.StageOf(table.Dataset));
            var frame = result.Tables[Datasets.Table(table.Dataset)];
            Assert.IsType<LongColumn>(frame[table.EventTime]);
            Assert.All(table.Groups, g => Assert.IsType<StringColumn>(frame[g]));
            Assert.All(new[] { table.Estimate, table.Low, table.High }, c => Assert.IsType<DoubleColumn>(frame[c]));
        }
    }
}
