using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>What a presence pass reads, counted at the wire: it follows what changed, not what the category holds.</summary>
public sealed class PresencePassCostTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(2000)]
    public async Task AMemberGoingAwayReadsTheirIndexRangeAndNoTicketRowsWhateverTheCategoryHolds(int closedTickets)
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TicketTestKit.StartAsync(azurite, recorder.Install);
        var store = api.Get<TicketStore>();
        await store.SaveCategoryAsync(new Category(40, "Busy", AssignmentMethod.FewestOpen, 9, true, 0), [new(1, 1), new(2, 1), new(3, 1)], Ct);
        var open = Enumerable.Range(1, 10).Select(id => new Ticket(id, 40, 1, TicketState.Open))
            .Concat(Enumerable.Range(100, 40).Select(id => new Ticket(id, 40, 2 + (id % 2), TicketState.Open)))
            .Concat(Enumerable.Range(200, 5).Select(id => new Ticket(id, 40, 0, TicketState.Open)));
        var closed = Enumerable.Range(10_000, closedTickets).Select(id => new Ticket(id, 40, 1 + (id % 3), TicketState.Closed));
        await store.SaveTicketsAsync(open.Concat(closed), Ct);
        var table = api.Get<StorageTables>().Names.Tickets;
        recorder.Clear();

        await api.SetPresenceAsync(1, "StatusNotAvailable");

        var requests = recorder.Requests.Where(r => r.Contains("/" + table, StringComparison.Ordinal)).ToList();
        var reads = recorder.Queries.Where(q => q.Contains("member-", StringComparison.Ordinal) || q.Contains("category-", StringComparison.Ordinal)).ToList();
        Assert.True(requests.Count == 4, "Expected reads of the membership index, the category row, the member rows and 1's index range:\n" + string.Join("\n", requests));
        Assert.Equal(["category-0000000040"], Assert.Single(recorder.Transactions, t => t.Any(p => p.StartsWith("category-", StringComparison.Ordinal))).Distinct()); // and one transaction (a $batch names no table)
        Assert.Collection(
            reads,
            q => Assert.Contains("PartitionKey eq 'member-0000000001'", q, StringComparison.Ordinal),
            q => Assert.Contains("RowKey='category'", q, StringComparison.Ordinal),
            q => Assert.Contains("RowKey ge 'member-' and RowKey lt 'member.'", q, StringComparison.Ordinal),
            q => Assert.Contains("RowKey ge 'open-0000000001-' and RowKey lt 'open-0000000001.' and HeldByAdmin eq false", q, StringComparison.Ordinal));
        Assert.DoesNotContain(reads, q => q.Contains("ticket-", StringComparison.Ordinal));

        var moved = (await store.ReadOpenAsync(40, 1, null, Ct)).Count;
        Assert.Equal(0, moved);
        Assert.Equal(5, (await api.Get<TicketService>().GetCategoryAsync(40, Ct)).BacklogCount); // not 1's change to act on
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task TheInvariantCheckCatchesACountThatDisagreesWithTheIndex()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        await api.PutTicketAsync(1, 10);
        var table = await api.TicketsTableAsync();
        await table.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(TicketRows.CategoryPartition(10), TicketRows.Member(2)) { ["OpenCount"] = 2 }, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge, Ct);

        await Assert.ThrowsAnyAsync<Exception>(api.AssertConsistentAsync);
    }
}
