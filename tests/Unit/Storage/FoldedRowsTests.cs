using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Tests.Unit.Storage;

public sealed class FoldedRowsTests
{
    private static OutboxRow Row(long version, string? tag = "W/\"t\"") => new("presence", "7", PresenceRows.Outbox(version), tag, version);

    private static SentOutboxRows Registry(params OutboxRow[] rows)
    {
        var registry = new SentOutboxRows(16, TimeSpan.FromSeconds(5), new FakeTimeProvider());
        foreach (var row in rows)
        {
            Assert.True(registry.TryPark(row));
        }

        return registry;
    }

    [Fact]
    public void TheRowHoldingTheVersionTheChangeStartsFromIsReusedAndTheOthersAreDeleted()
    {
        var folded = FoldedRows.Claim(Registry(Row(1), Row(2), Row(3)), "presence", "7", PresenceRows.Outbox(4), reusableVersion: 3);

        Assert.Equal(Row(3), folded.Reused);
        Assert.Equal([Row(1), Row(2)], folded.Deleted);
    }

    [Fact]
    public void ARowHoldingAnOlderEventIsNeverReusedSoPendingEventsKeepTheirKeyOrder()
    {
        // Version 3 is still waiting to be sent under outbox-3: the change to 4 must not store its event under outbox-2.
        var folded = FoldedRows.Claim(Registry(Row(1), Row(2)), "presence", "7", PresenceRows.Outbox(4), reusableVersion: 3);

        Assert.Null(folded.Reused);
        Assert.Equal([Row(1), Row(2)], folded.Deleted);
    }

    [Fact]
    public void AChangeWithoutAnEventReusesNothing()
    {
        var folded = FoldedRows.Claim(Registry(Row(3)), "presence", "7", ownOutboxKey: null, reusableVersion: null);

        Assert.Null(folded.Reused);
        Assert.Equal([Row(3)], folded.Deleted);
    }

    [Fact]
    public void RowsWithoutATagOrUnderTheChangesOwnKeyGoToTheCleanupAndAreNeverClaimedAgain()
    {
        var registry = Registry(Row(3, tag: null), Row(4));
        var folded = FoldedRows.Claim(registry, "presence", "7", PresenceRows.Outbox(4), reusableVersion: 3);

        Assert.Null(folded.Reused);
        Assert.Empty(folded.Deleted);
        Assert.Equal(2, registry.Count);
        Assert.Empty(registry.Claim("presence", "7", 16));
        Assert.Equal([Row(3, tag: null), Row(4)], registry.TakeDue(16));
    }

    [Fact]
    public void ARefusedReusedRowIsDroppedWhileTheOthersGoToTheCleanup()
    {
        var registry = Registry(Row(1), Row(2));
        var folded = FoldedRows.Claim(registry, "presence", "7", PresenceRows.Outbox(3), reusableVersion: 2);

        folded.GiveBack(reusedGone: true, deletedGone: -1);

        Assert.Equal([Row(1)], registry.TakeDue(16));
        Assert.Null(folded.Reused);
    }

    [Fact]
    public void ARefusedDeletedRowIsDroppedWhileTheReusedRowAndTheOthersGoToTheCleanup()
    {
        var registry = Registry(Row(1), Row(2), Row(3));
        var folded = FoldedRows.Claim(registry, "presence", "7", PresenceRows.Outbox(4), reusableVersion: 3);

        folded.GiveBack(reusedGone: false, deletedGone: 0);

        Assert.Equal([Row(3), Row(2)], registry.TakeDue(16));
        Assert.Empty(registry.Claim("presence", "7", 16));
        folded.GiveBack();
        Assert.Equal(0, registry.Count); // given back once: a later failure gives back nothing more
    }

    [Fact]
    public void ACommittedTransactionCountsTheReusedRowAmongThoseItSpared()
    {
        var registry = Registry(Row(1), Row(2));
        var folded = FoldedRows.Claim(registry, "presence", "7", PresenceRows.Outbox(3), reusableVersion: 2);

        folded.Committed();

        Assert.Equal(2, registry.Folded);
        Assert.Equal(0, registry.Count);
    }
}
