using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Events;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Tests.Unit.Storage;

public sealed class SentOutboxRowsTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    private static OutboxRow Row(string partition, long version) => new("presence", partition, PresenceRows.Outbox(version));

    [Fact]
    public void APartitionsNextChangeClaimsItsWaitingRowsOldestFirstAndOnlyOnce()
    {
        var rows = new SentOutboxRows(16, Delay, new FakeTimeProvider());
        rows.TryPark(Row("7", 1));
        rows.TryPark(Row("8", 1));
        rows.TryPark(Row("7", 2));
        rows.TryPark(Row("7", 3));

        Assert.Equal([Row("7", 1), Row("7", 2)], rows.Claim("presence", "7", max: 2));
        Assert.Equal([Row("7", 3)], rows.Claim("presence", "7", max: 2));
        Assert.Empty(rows.Claim("presence", "7", max: 2));
        Assert.Empty(rows.Claim("tickets", "8", max: 2)); // another table's partition of the same name
        Assert.Equal(1, rows.Count);
    }

    [Fact]
    public void RowsAreDueForTheCleanupOnlyOnceTheirDelayIsUp()
    {
        var clock = new FakeTimeProvider();
        var rows = new SentOutboxRows(16, Delay, clock);
        rows.TryPark(Row("7", 1));
        clock.Advance(TimeSpan.FromSeconds(2));
        rows.TryPark(Row("8", 1));

        Assert.Empty(rows.TakeDue(100));
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal([Row("7", 1)], rows.TakeDue(100));
        Assert.Empty(rows.Claim("presence", "7", max: 10)); // taken by the cleanup: no longer anyone else's
        Assert.Equal([Row("8", 1)], rows.TakeDue(100, all: true));
        Assert.Equal(0, rows.Count);
    }

    [Fact]
    public void AFullRegistryParksNothingMore()
    {
        var rows = new SentOutboxRows(2, Delay, new FakeTimeProvider());

        Assert.True(rows.TryPark(Row("7", 1)));
        Assert.True(rows.TryPark(Row("7", 2)));
        Assert.False(rows.TryPark(Row("7", 3)));
        Assert.Equal(2, rows.Count);
        Assert.Equal(2, rows.Claim("presence", "7", max: 10).Count);
        Assert.True(rows.TryPark(Row("7", 3))); // room again once claimed
    }

    [Fact]
    public void RowsGivenBackAreDueAtOnceAndNeverClaimedAgain()
    {
        // A row that made a transaction fail must not ride along in the next one too: the cleanup removes it on its own.
        var rows = new SentOutboxRows(16, Delay, new FakeTimeProvider());
        rows.TryPark(Row("7", 1));
        rows.TryPark(Row("7", 2));
        var claimed = rows.Claim("presence", "7", max: 10);

        rows.GiveBack(claimed);

        Assert.Empty(rows.Claim("presence", "7", max: 10));
        Assert.Equal(claimed, rows.TakeDue(100));
    }

    [Theory]
    [InlineData(5, 10, 5)]
    [InlineData(5, 0, 0)]
    [InlineData(30, 10, 5)]
    [InlineData(0, 10, 0)]
    [InlineData(5, 9, 4)]
    public void TheDelayInForceIsNeverMoreThanHalfTheRelaysGrace(int delaySeconds, int graceSeconds, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), new OutboxOptions { CleanupDelaySeconds = delaySeconds, GraceSeconds = graceSeconds }.CleanupDelay);
}
