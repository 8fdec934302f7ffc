using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>A presence change moving tickets through the real RebalanceTickets function, on Azurite.</summary>
public sealed class RebalancingTests(AzuriteFixture azurite)
{
    private static readonly string Sample = File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "tickets.json"));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PresenceFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    private static async Task<Dictionary<int, int>> OwnersAsync(TestApi api) =>
        (await api.Get<TicketStore>().ListTicketsAsync(null, TestContext.Current.CancellationToken)).ToDictionary(t => t.TicketId, t => t.OwnerId);

    /// <summary>A presence change through HTTP, then its event's pass: the Set answers first, the pass follows in the background.</summary>
    private static async Task<HttpResponseMessage> SetAsync(TestApi api, int associateId, string status)
    {
        var response = await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", $$"""{"Status": "{{status}}"}""", "application/json");
        await api.SettledAsync();
        return response;
    }

    private static async Task<TestApi> SeededAsync(AzuriteFixture azurite, Action<IServiceCollection>? services = null, string? tickets = null)
    {
        var api = await TestApi.StartAsync(azurite, services, tickets is null ? null : new Dictionary<string, string?> { ["Tables:Tickets"] = tickets });
        await SeedData.Parse(Sample).WriteAsync(api.Get<TicketStore>(), api.Get<PresenceStore>(), TestContext.Current.CancellationToken);
        return api;
    }

    [Fact]
    public async Task SettingSomeoneAwayMovesTheirOpenTicketsByEachCategorysMethod()
    {
        await using var api = await SeededAsync(azurite);
        var before = await OwnersAsync(api);

        await (await SetAsync(api, 1, "StatusNotAvailable")).AssertAsync(200, "application/json");

        var after = await OwnersAsync(api);
        Assert.Equal(2, after[1001]); // FewestOpen: 2 had one, 3 had two
        Assert.Equal(2, after[1002]); // tie at two each: the lower id
        Assert.Equal(1, after[1003]); // closed: stays
        Assert.Equal(7, after[1007]); // not a member's: stays
        Assert.Equal(0, after[1008]); // the backlog is not what 1 going away concerns: it waits for someone coming back
        Assert.Equal(3, after[3001]); // Weighted, and 3 is the only one left
        Assert.Equal(3, after[3002]);
        Assert.Equal(before.Where(t => t.Key / 1000 == 2), after.Where(t => t.Key / 1000 == 2)); // 1 is not in Sales
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task DuplicateStaleAndReorderedEventsLeaveAssignmentsAsCurrentPresenceDictates()
    {
        var sender = new FlakySender { Failing = true };
        await using var api = await SeededAsync(azurite, services => services.UseServiceBus(sender));
        await SetAsync(api, 1, "StatusNotAvailable");
        await SetAsync(api, 1, "StatusNormal");
        var events = (await api.RowsAsync(1))
            .Where(r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal))
            .Select(r => BinaryData.FromString(r.GetString("CloudEvent")))
            .ToList();
        Assert.Equal(2, events.Count);
        var rebalancer = api.Get<TicketRebalancer>();
        var before = await OwnersAsync(api);

        // Newest first, then the stale "away" event twice: 1 is present now, so nothing of theirs moves.
        foreach (var message in new[] { events[1], events[0], events[0], events[1] })
        {
            await rebalancer.HandleAsync(message, null, TestContext.Current.CancellationToken);
        }

        var after = await OwnersAsync(api);
        Assert.Equal(before.Where(t => t.Key != 1008), after.Where(t => t.Key != 1008));
        Assert.Equal(2, after[1008]); // 1 coming back pulls the backlog: FewestOpen gives it to 2; 1 kept theirs
        await api.AssertConsistentAsync();
    }

    [Theory]
    [InlineData("not a cloud event")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"Other.Type","data":{"associateId":1}}""")]
    public async Task AMessageThatIsNotAPresenceEventThrowsSoServiceBusRetriesAndDeadLettersIt(string body)
    {
        await using var api = await SeededAsync(azurite);

        await Assert.ThrowsAnyAsync<Exception>(() => api.Get<TicketRebalancer>().HandleAsync(BinaryData.FromString(body), null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WithNobodyPresentTheAdminHoldsTheWorkUntilSomeoneIsBack()
    {
        await using var api = await SeededAsync(azurite);
        await SetAsync(api, 1, "StatusNotAvailable");
        await SetAsync(api, 3, "StatusNotAvailable");

        var escalations = await OwnersAsync(api);
        Assert.Equal([9, 9, 9], new[] { escalations[3001], escalations[3002], escalations[3003] });
        Assert.All((await api.Get<TicketStore>().ListTicketsAsync(30, TestContext.Current.CancellationToken)), t => Assert.True(t.HeldByAdmin));

        await SetAsync(api, 3, "StatusNormal");

        var back = await OwnersAsync(api);
        Assert.Equal([3, 3, 3], new[] { back[3001], back[3002], back[3003] });
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task APassWritesTransactionsOfAtMostAHundredInsideTheCategoryPartition()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TicketTestKit.StartAsync(azurite, recorder.Install);
        var store = api.Get<TicketStore>();
        await store.SaveCategoryAsync(new Category(77, "Bulk", AssignmentMethod.Even, 0, false, 0), [new(1, 1), new(2, 1), new(3, 1)], TestContext.Current.CancellationToken);
        await store.SaveTicketsAsync(Enumerable.Range(1, 250).Select(id => new Ticket(id, 77, 0, TicketState.Open)), TestContext.Current.CancellationToken);
        recorder.Clear();

        var result = await api.Get<TicketRebalancer>().RebalanceAsync(77, TestContext.Current.CancellationToken);

        Assert.Equal(250, result.Moved);
        Assert.Equal(recorder.Transactions.Count, result.Transactions);
        Assert.All(recorder.Transactions, t => Assert.InRange(t.Count, 1, 100));
        Assert.All(recorder.Transactions, t => Assert.Equal(["category-0000000077"], t.Distinct()));

        // Per move: the ticket row, the backlog index row out, the owner's in, the outbox row; with the category and member rows, 24 fit.
        Assert.Equal((250 + 23) / 24, result.Transactions);
        var owners = (await store.ListTicketsAsync(77, TestContext.Current.CancellationToken)).GroupBy(t => t.OwnerId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<int, int> { [1] = 84, [2] = 83, [3] = 83 }, owners);
        Assert.Equal(RebalanceResult.None, await api.Get<TicketRebalancer>().RebalanceAsync(77, TestContext.Current.CancellationToken));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task TwoConcurrentPassesOnOneCategoryEndConsistent()
    {
        await using var first = await TestApi.StartAsync(azurite);
        var tickets = "t" + Guid.NewGuid().ToString("N");
        await using var a = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?> { ["Tables:Tickets"] = tickets, ["Tables:Presence"] = first.PresenceTable.Name });
        await using var b = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?> { ["Tables:Tickets"] = tickets, ["Tables:Presence"] = first.PresenceTable.Name });
        var members = Enumerable.Range(1, 5).Select(id => new StoredMember(id, 1, id == 1 ? "StatusNotAvailable" : StoredMember.PresentStatus, 1, 0)).ToList();
        var category = new Category(5, "Race", AssignmentMethod.FewestOpen, 9, true, 0);
        await a.Get<TicketStore>().SeedCategoryAsync(category, members, TestContext.Current.CancellationToken);
        await a.Get<TicketStore>().SaveTicketsAsync(Enumerable.Range(1, 150).Select(id => new Ticket(id, 5, 1 + (id % 5), TicketState.Open)), TestContext.Current.CancellationToken);
        var stored = (await a.Get<TicketStore>().ListTicketsAsync(5, TestContext.Current.CancellationToken)).Select(t => t.Ticket).ToList();
        var plan = RebalancePlanner.Plan(category, [.. members.Select(m => new CategoryMember(m.AssociateId, m.Weight))], id => id != 1, stored);

        var results = await Task.WhenAll(
            a.Get<TicketRebalancer>().RebalanceAsync(5, TestContext.Current.CancellationToken),
            b.Get<TicketRebalancer>().RebalanceAsync(5, TestContext.Current.CancellationToken));

        var owners = (await a.Get<TicketStore>().ListTicketsAsync(5, TestContext.Current.CancellationToken)).ToDictionary(t => t.TicketId, t => t.OwnerId);
        Assert.DoesNotContain(1, owners.Values);
        Assert.Equal(30, results.Sum(r => r.Moved)); // one pass moved them all; the other found nothing left to move
        foreach (var move in plan.Moves)
        {
            Assert.Equal(move.ToOwnerId, owners[move.TicketId]);
        }

        await a.AssertConsistentAsync();
    }
}
