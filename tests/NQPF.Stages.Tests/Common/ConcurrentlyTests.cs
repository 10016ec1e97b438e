using NQPF.Stages.Common;

namespace NQPF.Stages.Tests.Common;

public class ConcurrentlyTests
{
    [Fact]
    public void Map_ManyItems_ResultsInItemOrder()
    {
        var items = Enumerable.Range(0, 1000).ToArray();
        Assert.Equal(items.Select(i => i * i), Concurrently.Map(items, i => i * i));
    }

    [Fact]
    public void Run_OnePieceThrowsDomainError_RethrownUnwrappedAfterTheOthersFinish()
    {
        var finished = 0;
        var error = Assert.Throws<DataValidationException>(() => Concurrently.Run(CancellationToken.None,
            () => Interlocked.Increment(ref finished),
            () => throw new DataValidationException("bad cell in file x.xlsx"),
            () => Interlocked.Increment(ref finished)));
        Assert.Equal("bad cell in file x.xlsx", error.Message);
        Assert.Equal(2, finished);
    }
}
