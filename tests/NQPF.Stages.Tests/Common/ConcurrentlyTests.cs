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

    /// <summary>
    /// Two pieces fail; the later one in the given order fails first in time (the earlier waits for it). The error
    /// reported is still the earlier piece's, as a sequential run would report it, and every other piece has run.
    /// </summary>
    [Fact]
    public void Map_TwoFailures_TheFirstInItemOrderIsRethrownWhicheverFailsFirst()
    {
        using var laterFailed = new ManualResetEventSlim();
        var finished = 0;
        var items = Enumerable.Range(0, 40).ToArray();
        var error = Assert.Throws<DataValidationException>(() => Concurrently.Map(items, i =>
        {
            switch (i)
            {
                case 3:
                    // Bounded wait: with a single worker the later item may not have started yet.
                    laterFailed.Wait(TimeSpan.FromSeconds(2));
                    throw new DataValidationException("bad file a.xlsx");
                case 30:
                    laterFailed.Set();
                    throw new DataValidationException("bad file z.xlsx");
                default:
                    Interlocked.Increment(ref finished);
                    return i;
            }
        }));
        Assert.Equal("bad file a.xlsx", error.Message);
        Assert.Equal(38, finished);
    }
}
