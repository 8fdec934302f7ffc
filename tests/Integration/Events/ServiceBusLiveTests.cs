using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Events;

/// <summary>
/// Opt-in: runs only when PRESENCE_TEST_SERVICEBUS holds a connection string to a namespace with the topic
/// (PRESENCE_TEST_TOPIC, default presence-changed) and subscription (PRESENCE_TEST_SUBSCRIPTION, default
/// rebalance-tickets). The event travels through the real topic to the real trigger listener.
/// </summary>
public sealed class ServiceBusLiveTests(AzuriteFixture azurite)
{
    private static readonly string? Connection = Environment.GetEnvironmentVariable("PRESENCE_TEST_SERVICEBUS");

    [Fact]
    public async Task AChangeTravelsThroughTheRealTopicAndMovesTickets()
    {
        Assert.SkipWhen(string.IsNullOrWhiteSpace(Connection), "PRESENCE_TEST_SERVICEBUS is not set.");
        await using var api = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?>
        {
            ["ServiceBusConnection"] = Connection,
            ["PresenceTopic"] = Environment.GetEnvironmentVariable("PRESENCE_TEST_TOPIC") ?? "presence-changed",
            ["RebalanceSubscription"] = Environment.GetEnvironmentVariable("PRESENCE_TEST_SUBSCRIPTION") ?? "rebalance-tickets",
        });
        var associate = Random.Shared.Next(100_000, 900_000);
        var store = api.Get<TicketStore>();
        await store.SaveCategoryAsync(new Category(associate, "Live", AssignmentMethod.FewestOpen, 0, false, 0), [new(associate, 1), new(associate + 1, 1)], TestContext.Current.CancellationToken);
        await store.SaveTicketsAsync([new Ticket(1, associate, associate, TicketState.Open)], TestContext.Current.CancellationToken);

        await (await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associate}/UserPresenceStatus", """{"Status": "StatusNotAvailable"}""", "application/json"))
            .AssertAsync(200, "application/json");

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await store.ListTicketsAsync(associate, TestContext.Current.CancellationToken)).Single().OwnerId != associate + 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "The ticket did not move within 60 seconds.");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}
