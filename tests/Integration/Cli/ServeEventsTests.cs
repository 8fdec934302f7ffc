using System.Text.Json;
using PresenceFunctions.Cli.Serve;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tests.Integration.Observability;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Cli;

/// <summary><c>presence serve --events FILE</c>: every event serve publishes, on either topic, is one JSON line in FILE.</summary>
public sealed class ServeEventsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddMinutes(-5);

    [Fact]
    public async Task ServeWithEventsAppendsAPresenceChangeAndATicketAssignmentAsOneCompactCloudEventLineEach()
    {
        var path = TempPath();
        try
        {
            await using var file = EventsFile.Open(path);
            await using var api = await TestApi.StartAsync(azurite, services => ServeCommand.WriteEvents(services, file));
            Assert.True(File.Exists(path));

            await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/68/UserPresenceStatus", """{"Status": 2}""", "application/json")).AssertAsync(200, "application/json");
            var presence = await TracingTests.WaitForAsync(() => Lines(path), l => l.Count > 0);
            var changed = JsonDocument.Parse(Assert.Single(presence)).RootElement;
            Assert.Equal("SuperOffice.UserPresenceStatus.Changed", changed.GetProperty("type").GetString());
            Assert.Equal("presence-68-1", changed.GetProperty("id").GetString());
            Assert.Equal(68, changed.GetProperty("data").GetProperty("associateId").GetInt32());

            // Without Service Bus, serve accepts assignment events too: written out, and gone from the outbox.
            var committed = await TicketOutboxRows.WriteAsync(api, 801, 17, 3, 68, LongAgo);
            Assert.True(await api.Get<ITicketChangePublisher>().TryPublishAsync([committed], TestContext.Current.CancellationToken));
            await api.SettledAsync();

            var lines = Lines(path);
            Assert.Equal(2, lines.Count);
            var assigned = JsonDocument.Parse(lines[1]).RootElement;
            Assert.Equal("SuperOffice.Ticket.Assigned", assigned.GetProperty("type").GetString());
            Assert.Equal("ticket-17-3", assigned.GetProperty("id").GetString());
            Assert.Equal(68, assigned.GetProperty("data").GetProperty("ownerId").GetInt32());
            Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(committed.Body).RootElement), lines[1]);
            Assert.Empty(await TicketOutboxRows.PendingAsync(api, 801));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WithServiceBusTheEventsFileGetsWhatTheTopicsAcceptedAndNothingThatFailed()
    {
        var path = TempPath();
        try
        {
            var presenceSender = new FlakySender();
            var ticketSender = new FlakySender { Failing = true };
            await using var file = EventsFile.Open(path);
            await using var api = await TestApi.StartAsync(azurite, services =>
            {
                services.UseServiceBus(presenceSender).UseTicketServiceBus(ticketSender);
                ServeCommand.WriteEvents(services, file);
            });

            await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/69/UserPresenceStatus", """{"Status": 2}""", "application/json")).AssertAsync(200, "application/json");
            await TracingTests.WaitForAsync(() => Lines(path), l => l.Count > 0);
            var committed = await TicketOutboxRows.WriteAsync(api, 802, 18, 1, 69, LongAgo);
            Assert.False(await api.Get<PresenceFunctions.Events.TicketOutboxPublisher>().TryPublishAsync([committed], TestContext.Current.CancellationToken));

            Assert.Equal(["presence-69-1"], presenceSender.Sent.Select(m => m.MessageId));
            Assert.Equal(["presence-69-1"], Lines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));

            ticketSender.Failing = false;
            Assert.Equal(1, await api.Get<PresenceFunctions.Events.TicketOutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));
            Assert.Equal(["presence-69-1", "ticket-18-1"], Lines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WithoutServiceBusAPresenceEventIsWrittenWhenAcceptedBeforeTheMovesItCauses()
    {
        var path = TempPath();
        try
        {
            await using var file = EventsFile.Open(path);
            await using var api = await TestApi.StartAsync(azurite, services => ServeCommand.WriteEvents(services, file));
            await (await api.SendAsync(HttpMethod.Put, "/api/v1/TicketCategories/810", """{"Name":"Support","Method":"FewestOpen","Members":[{"AssociateId":870},{"AssociateId":871}]}""", "application/json")).AssertAsync(200, "application/json");
            await (await api.SendAsync(HttpMethod.Put, "/api/v1/Tickets/8101", """{"CategoryId":810}""", "application/json")).AssertAsync(200, "application/json");
            await api.SettledAsync();

            await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/870/UserPresenceStatus", """{"Status": 2}""", "application/json")).AssertAsync(200, "application/json");
            await api.SettledAsync();

            Assert.Equal(["ticket-8101-1", "presence-870-1", "ticket-8101-2"], Lines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ConcurrentEventsAreAppendedAsWholeLinesAfterWhatTheFileHeld()
    {
        var path = TempPath();
        try
        {
            await File.WriteAllTextAsync(path, "{\"earlier\":true}\n", TestContext.Current.CancellationToken);
            await using (var file = EventsFile.Open(path))
            {
                await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Task.Run(() => file.AppendAsync($$"""
                    {
                      "id": "event-{{i}}",
                      "data": { "text": "{{new string('x', 500)}}" }
                    }
                    """))));
            }

            var lines = Lines(path);
            Assert.Equal(201, lines.Count);
            Assert.Equal("{\"earlier\":true}", lines[0]);
            Assert.Equal(
                Enumerable.Range(1, 200).Select(i => $"event-{i}").Order(),
                lines.Skip(1).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).Order());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string TempPath() => Path.Combine(Path.GetTempPath(), "presence-events-" + Guid.NewGuid().ToString("N") + ".jsonl");

    /// <summary>The file as another process reads it while serve writes.</summary>
    private static List<string> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
