using Azure.Messaging.ServiceBus;
using PresenceFunctions.Events;
using PresenceFunctions.Functions.Events;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Reliability;

/// <summary>Service Bus fails for a while: Sets still succeed, the outbox keeps every event, the relay drains them once.</summary>
public sealed class ServiceBusOutageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task WhileTheSenderFailsSetsSucceedAndTheRelayLaterSendsEveryEventUnderItsOwnId()
    {
        var sender = new FlakySender { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));
        var relay = api.Get<OutboxRelay>();

        // Changes keep coming while the relay keeps failing, then Service Bus comes back mid-stream.
        var writes = Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            if (i == 40)
            {
                sender.Failing = false;
            }

            var response = await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{2000 + (i % 6)}/UserPresenceStatus", $$"""{"Status": {{1 + (i % 2)}}, "Message": "m{{i}}"}""", "application/json");
            Assert.Equal(200, (int)response.StatusCode);
        }));
        var relaying = Task.Run(async () =>
        {
            while (!writes.IsCompleted)
            {
                try
                {
                    await relay.RelayAsync(TestContext.Current.CancellationToken);
                }
                catch (ServiceBusException)
                {
                    // The relay run fails while Service Bus is down; its timer runs it again.
                }

                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);
        await writes;
        await relaying;
        await api.SettledAsync(); // the queue publishes after the answers: let it finish before the last relay run
        sender.Failing = false;
        await relay.RelayAsync(TestContext.Current.CancellationToken);

        var expected = new List<string>();
        for (var associate = 2000; associate < 2006; associate++)
        {
            var rows = await api.RowsAsync(associate);
            var version = rows.Single(r => r.RowKey == PresenceRows.Status).GetInt64("Version")!.Value;
            expected.AddRange(Enumerable.Range(1, (int)version).Select(v => $"presence-{associate}-{v}"));
            Assert.DoesNotContain(rows, r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal));
        }

        // None lost, and no change under two ids. A change may go out twice under its one id (a relay run and its
        // Set racing); Service Bus duplicate detection drops the second.
        Assert.Equal(60, expected.Count);
        Assert.Equal(expected.Order(), sender.Sent.Select(m => m.MessageId).Distinct().Order());
    }

    [Fact]
    public async Task AMalformedMessageMakesTheFunctionThrowSoServiceBusRetriesAndDeadLettersIt()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var function = new RebalanceTickets(api.Get<TicketRebalancer>());
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("{\"not\": \"a cloud event\"}"), messageId: "poison", deliveryCount: 1);

        await Assert.ThrowsAnyAsync<Exception>(() => function.Run(message, TestContext.Current.CancellationToken));
    }
}
