using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>Category moves, atomic commits and the events' way out, on Azurite.</summary>
public sealed class TicketMoveTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACategoryMoveThatCrashesBetweenThePartitionsIsRepairedByRepeatingThePut()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        await api.PutCategoryAsync(TicketTestKit.Category(20, AssignmentMethod.FewestOpen, [3]));
        await api.PutTicketAsync(1, 10);
        var store = api.Get<TicketStore>();
        store.BeforeLeavingPreviousCategory = (_, _) => throw new IOException("The process died (simulated).");

        await Assert.ThrowsAsync<IOException>(() => api.PutTicketAsync(1, 20, ownerId: 0));

        // Mid-move: the ticket sits in both partitions, and the locator says a move is in flight.
        Assert.Single(await api.PartitionAsync(10, TicketRows.TicketPrefix));
        Assert.Single(await api.PartitionAsync(20, TicketRows.TicketPrefix));
        Assert.Equal(10, (await store.ReadLocationAsync(1, Ct))!.PreviousCategoryId);

        store.BeforeLeavingPreviousCategory = null;
        var repaired = await api.PutTicketAsync(1, 20, ownerId: 0);

        Assert.Equal((20, 3, "category", 2L), (repaired.CategoryId, repaired.OwnerId, repaired.Reason, repaired.AssignmentVersion));
        Assert.Empty(await api.PartitionAsync(10, TicketRows.TicketPrefix));
        Assert.Equal(0, (await api.Get<TicketService>().GetCategoryAsync(10, Ct)).Members.Single().OpenCount);
        Assert.Equal(1, (await api.Get<TicketService>().GetCategoryAsync(20, Ct)).Members.Single().OpenCount);
        Assert.Equal([(1, 20, 3, 2, 2L)], (await api.OutboxAsync(20)).Select(e => (e.TicketId, e.CategoryId, e.OwnerId, e.PreviousOwnerId, e.AssignmentVersion)));
        Assert.Equal(repaired, await api.Get<TicketService>().GetTicketAsync(1, Ct));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task AReadFindingAMoveInFlightFinishesIt()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        await api.PutCategoryAsync(TicketTestKit.Category(20, AssignmentMethod.FewestOpen, [3]));
        await api.PutTicketAsync(1, 10);
        var store = api.Get<TicketStore>();
        store.BeforeLeavingPreviousCategory = (_, _) => throw new IOException("The process died (simulated).");
        await Assert.ThrowsAsync<IOException>(() => api.PutTicketAsync(1, 20, ownerId: 0));
        store.BeforeLeavingPreviousCategory = null;

        var read = await api.Get<TicketService>().GetTicketAsync(1, Ct);

        Assert.Equal((20, 3, "request-test"), (read.CategoryId, read.OwnerId, read.CausedBy));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task ATicketAndItsEventCommitTogetherOrNotAtAll()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        var store = api.Get<TicketStore>();
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        var stale = (await store.ReadCategoryAsync(10, Ct))!;
        await api.PutTicketAsync(1, 10); // a concurrent write: the category row's ETag moves on

        var ticket = new TicketDetails(2, 10, 2, TicketState.Open, false, 1, "arrival", "request-lost", DateTimeOffset.UtcNow);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            store.CommitAsync(PartitionWrite.OfTickets(stale, [new TicketWrite(null, ticket, TicketMoves.EventOf(ticket, 0))], null), Ct));

        Assert.Equal(412, Assert.IsType<TableTransactionFailedException>(conflict.InnerException).Status);
        Assert.DoesNotContain(await api.PartitionAsync(10), r => r.RowKey == TicketRows.Ticket(2) || r.RowKey == TicketRows.Open(2, 2) || r.RowKey == TicketRows.Outbox(2, 1));
        Assert.Equal([1], (await api.OutboxAsync(10)).Select(e => e.TicketId));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task ConcurrentArrivalsInOneCategoryAllCommitEachWithOneEventAndTheCountsRight()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3, 4]));

        var tickets = await Task.WhenAll(Enumerable.Range(1, 12).Select(id => api.PutTicketAsync(id, 10)));

        Assert.Equal(Enumerable.Range(1, 12), (await api.OutboxAsync(10)).Select(e => e.TicketId).Order());
        Assert.Equal([4, 4, 4], tickets.CountBy(t => t.OwnerId).OrderBy(c => c.Key).Select(c => c.Value));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task APublishFailureLeavesTheEventInTheOutboxForTheRelayAndTheChangeStands()
    {
        var transport = new RecordingTicketEventPublisher { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services => services.AddSingleton<ITicketEventPublisher>(transport));
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));

        var failed = await api.PutTicketAsync(1, 10);
        await api.SettledAsync(); // the attempt after the answer has failed
        var leftOver = await api.OutboxAsync(10);
        transport.Failing = false;
        await api.PutTicketAsync(2, 10);
        await api.SettledAsync();

        Assert.Equal(2, failed.OwnerId);
        Assert.Equal([1], leftOver.Select(e => e.TicketId));
        Assert.Equal([2], transport.Sent.Select(e => e.TicketId)); // sent after the answer, and its row cleared
        Assert.Equal([1], (await api.OutboxAsync(10)).Select(e => e.TicketId));
    }
    [Fact]
    public async Task ATicketCreatedAndMovedAtOnceEndsInExactlyOneCategoryWithDistinctEvents()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        await api.PutCategoryAsync(TicketTestKit.Category(20, AssignmentMethod.FewestOpen, [3]));
        var store = api.Get<TicketStore>();
        TicketDetails? moved = null;

        // The create has written its locator (category 10) but not yet its row when the move runs to the end.
        store.BeforeTransaction = async (write, _, _) =>
        {
            if (write.CategoryId == 10 && moved is null)
            {
                store.BeforeTransaction = null;
                moved = await api.PutTicketAsync(5, 20);
            }
        };
        var created = await api.PutTicketAsync(5, 10);

        Assert.Equal(20, moved!.CategoryId);
        var stored = await api.Get<TicketService>().GetTicketAsync(5, Ct);
        Assert.Equal(created, stored);
        Assert.Equal(10, stored.CategoryId);
        var events = (await api.OutboxAsync(10)).Concat(await api.OutboxAsync(20)).ToList();
        Assert.Equal(events.Count, events.Select(e => e.AssignmentVersion).Distinct().Count());
        Assert.Equal(stored.AssignmentVersion, events.Max(e => e.AssignmentVersion));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task AChangeInTheOldCategoryDuringAMoveIsCarriedOverWithANewVersionAndLeavesNothingBehind()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        await api.PutCategoryAsync(TicketTestKit.Category(20, AssignmentMethod.FewestOpen, [3]));
        await api.PutTicketAsync(1, 10);
        await api.PutTicketAsync(1, null, state: TicketState.Closed);
        var store = api.Get<TicketStore>();

        // A writer that read the locator before the move's intent reopens the ticket in category 10 for owner 4 (no member):
        // it commits there after the move entered category 20 and before it left category 10.
        store.BeforeLeavingPreviousCategory = async (id, ct) =>
        {
            store.BeforeLeavingPreviousCategory = null;
            var view = (await store.ReadCategoryAsync(10, ct))!;
            var closed = (await store.ReadTicketAsync(10, id, ct))!;
            var reopened = closed with { OwnerId = 4, State = TicketState.Open, AssignmentVersion = closed.AssignmentVersion + 1, Reason = "arrival", CausedBy = "request-reopen" };
            await store.CommitAsync(PartitionWrite.OfTickets(view, [new TicketWrite(closed, reopened, TicketMoves.EventOf(reopened, closed.OwnerId))], null), ct);
        };
        await api.PutTicketAsync(1, 20);

        var stored = await api.Get<TicketService>().GetTicketAsync(1, Ct);
        Assert.Equal((20, 4, TicketState.Open, 3L), (stored.CategoryId, stored.OwnerId, stored.State, stored.AssignmentVersion));
        var latest = Assert.Single((await api.OutboxAsync(10)).Concat(await api.OutboxAsync(20)), e => e.AssignmentVersion == stored.AssignmentVersion);
        Assert.Equal((20, 4, 4), (latest.CategoryId, latest.OwnerId, latest.PreviousOwnerId));
        Assert.DoesNotContain(await api.PartitionAsync(10), r => r.RowKey.StartsWith(TicketRows.OpenPrefix, StringComparison.Ordinal) || r.RowKey.StartsWith(TicketRows.TicketPrefix, StringComparison.Ordinal));
        await api.AssertConsistentAsync();
    }
}
