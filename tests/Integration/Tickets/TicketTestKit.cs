using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>Shorthands for driving the ticket use cases in tests.</summary>
public static class TicketTestKit
{
    public static readonly Actor Admin = new(TestApi.AdminAssociateId, IsAdministrator: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A test app whose ticket topic is unreachable, so every committed event stays in its outbox row where the test
    /// reads it (and publishing adds no storage requests to what a test counts).
    /// </summary>
    public static Task<TestApi> StartAsync(AzuriteFixture azurite, Action<IServiceCollection>? services = null) =>
        TestApi.StartAsync(azurite, s =>
        {
            s.AddSingleton<ITicketEventPublisher>(new RecordingTicketEventPublisher { Failing = true });
            services?.Invoke(s);
        });

    public static CategorySettings Category(int id, AssignmentMethod method, int[] members, int adminId = 9, bool fallbackToAdmin = true, bool rebalanceOnPresence = true, bool reassignOnNewMessage = true) =>
        new(id, "Category " + id, method, adminId, fallbackToAdmin, rebalanceOnPresence, reassignOnNewMessage, [.. members.Select(m => new CategoryMember(m, 1))]);

    public static Task<CategoryDetails> PutCategoryAsync(this TestApi api, CategorySettings settings) =>
        api.Get<TicketService>().PutCategoryAsync(Admin, settings, "request-test", null, Ct);

    public static Task<TicketDetails> PutTicketAsync(this TestApi api, int ticketId, int? categoryId, int? ownerId = null, TicketState? state = null) =>
        api.Get<TicketService>().PutTicketAsync(Admin, new TicketChange(ticketId, categoryId, ownerId, state), "request-test", null, Ct);

    /// <summary>Written straight to the presence store, with no event: members added afterwards take it from there.</summary>
    public static Task SeedAwayAsync(this TestApi api, int associateId) =>
        api.Get<PresenceStore>().SeedAsync(associateId, new UserPresenceStatus(UserStatus.StatusNotAvailable, null), Ct);

    /// <summary>A presence change through HTTP, then its event's rebalance pass, which runs in process after the answer.</summary>
    public static async Task SetPresenceAsync(this TestApi api, int associateId, string status)
    {
        await (await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", $$"""{"Status": "{{status}}"}""", "application/json")).AssertAsync(200, "application/json");
        await api.SettledAsync();
    }

    public static async Task<List<TableEntity>> PartitionAsync(this TestApi api, int categoryId, string prefix = "")
    {
        var table = await api.TicketsTableAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{TicketRows.CategoryPartition(categoryId)}'", cancellationToken: Ct))
        {
            if (row.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    public static async Task<List<TicketAssignedData>> OutboxAsync(this TestApi api, int categoryId) =>
        [.. (await api.PartitionAsync(categoryId, TicketRows.OutboxPrefix)).Select(r => TicketAssignedEvent.Decode(BinaryData.FromString(r.GetString("CloudEvent")).ToMemory()))];
}

/// <summary>A ticket event transport that records what it accepts, or fails like an unreachable topic.</summary>
public sealed class RecordingTicketEventPublisher : ITicketEventPublisher
{
    private readonly Lock gate = new();
    private readonly List<TicketOutboxEvent> sent = [];

    public bool Failing { get; set; }

    public IReadOnlyList<TicketOutboxEvent> Sent
    {
        get
        {
            lock (gate)
            {
                return [.. sent];
            }
        }
    }

    public Task PublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new IOException("The topic is unreachable (simulated).");
        }

        lock (gate)
        {
            sent.AddRange(events);
        }

        return Task.CompletedTask;
    }
}
