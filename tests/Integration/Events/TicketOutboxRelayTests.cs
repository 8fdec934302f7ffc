using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Events;
using PresenceFunctions.Observability;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Events;

/// <summary>Every committed assignment reaches the ticket topic under its own MessageId, however publishing fails.</summary>
public sealed class TicketOutboxRelayTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddMinutes(-5);

    private static Task<int> RelayAsync(TestApi api) => api.Get<TicketOutboxRelay>().RelayAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task TheRelayPublishesEveryOldEventInTicketAndVersionOrderAndRemovesItsRow()
    {
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services => services.UseTicketServiceBus(sender));
        await TicketOutboxRows.WriteAsync(api, 701, 12, 2, 5, LongAgo);
        await TicketOutboxRows.WriteAsync(api, 701, 9, 1, 5, LongAgo);
        await TicketOutboxRows.WriteAsync(api, 701, 12, 1, 0, LongAgo);
        await TicketOutboxRows.WriteAsync(api, 702, 30, 4, 6, LongAgo);

        Assert.Equal(4, await RelayAsync(api));

        Assert.Equal(["ticket-9-1", "ticket-12-1", "ticket-12-2"], sender.Sent.Select(m => m.MessageId).Where(id => id != "ticket-30-4"));
        Assert.Contains("ticket-30-4", sender.Sent.Select(m => m.MessageId));
        Assert.Empty(await TicketOutboxRows.PendingAsync(api, 701));
        Assert.Empty(await TicketOutboxRows.PendingAsync(api, 702));
        Assert.Equal(0, await RelayAsync(api));
        Assert.Equal(4, sender.Sent.Count);
    }

    [Fact]
    public async Task TheRelayLeavesEventsYoungerThanTheGracePeriod()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(
            azurite,
            services => services.UseTicketServiceBus(sender).AddSingleton<TimeProvider>(clock),
            new Dictionary<string, string?> { ["Outbox:GraceSeconds"] = "10" });
        await TicketOutboxRows.WriteAsync(api, 711, 1, 1, 5, clock.GetUtcNow());

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await RelayAsync(api));
        Assert.Equal([TicketRows.Outbox(1, 1)], await TicketOutboxRows.PendingAsync(api, 711));

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await RelayAsync(api));
        Assert.Equal(["ticket-1-1"], sender.Sent.Select(m => m.MessageId));
    }

    [Fact]
    public async Task AFailedSendFailsTheRunAndLeavesTheRowsForTheNextOne()
    {
        var sender = new FlakySender { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services => services.UseTicketServiceBus(sender));
        await TicketOutboxRows.WriteAsync(api, 721, 3, 1, 5, LongAgo);
        await TicketOutboxRows.WriteAsync(api, 721, 4, 1, 5, LongAgo);

        // The run surfaces the failure so the timer run fails and is retried; nothing is lost meanwhile.
        await Assert.ThrowsAnyAsync<Exception>(() => RelayAsync(api));
        Assert.Equal([TicketRows.Outbox(3, 1), TicketRows.Outbox(4, 1)], await TicketOutboxRows.PendingAsync(api, 721));

        sender.Failing = false;
        Assert.Equal(2, await RelayAsync(api));
        Assert.Equal(["ticket-3-1", "ticket-4-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Empty(await TicketOutboxRows.PendingAsync(api, 721));
    }

    [Fact]
    public async Task EventsThePublishAfterTheCommitCouldNotSendStayForTheRelay()
    {
        var sender = new FlakySender { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services => services.UseTicketServiceBus(sender));
        var committed = await TicketOutboxRows.WriteAsync(api, 731, 8, 3, 5, LongAgo);

        // Queued, then the queue's attempt fails: the row stays.
        Assert.True(await api.Get<ITicketChangePublisher>().TryPublishAsync([committed], TestContext.Current.CancellationToken));
        await api.SettledAsync();
        Assert.Empty(sender.Sent);
        Assert.Equal([committed.RowKey], await TicketOutboxRows.PendingAsync(api, 731));

        sender.Failing = false;
        Assert.Equal(1, await RelayAsync(api));
        Assert.Equal(["ticket-8-3"], sender.Sent.Select(m => m.MessageId));
        Assert.Empty(await TicketOutboxRows.PendingAsync(api, 731));
    }

    [Fact]
    public async Task ARelayedEventCarriesItsIdPropertiesExactBodyAndTheTraceOfItsCause()
    {
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services => services.UseTicketServiceBus(sender));
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var written = await TicketOutboxRows.WriteAsync(api, 741, 55, 7, 9, LongAgo, $"00-{traceId}-00f067aa0ba902b7-01");

        Assert.Equal(1, await RelayAsync(api));

        var message = Assert.Single(sender.Sent);
        Assert.Equal("ticket-55-7", message.MessageId);
        Assert.Equal("ticket/55", message.Subject);
        Assert.Equal("application/cloudevents+json", message.ContentType);
        Assert.Equal(55, message.ApplicationProperties["ticketId"]);
        Assert.Equal(741, message.ApplicationProperties["categoryId"]);
        Assert.Equal(9, message.ApplicationProperties["ownerId"]);
        Assert.Equal(7L, message.ApplicationProperties["assignmentVersion"]);
        Assert.Equal(written.Body, message.Body.ToString());
        Assert.Equal(traceId, PresenceTracing.TraceIdOf(PresenceTracing.TraceParentOf(new Dictionary<string, object>(message.ApplicationProperties))));
    }

    [Fact]
    public async Task TheRelayReadsTheRegistryAndEachCategorysOutboxRangeNeverItsTickets()
    {
        var recorder = new StorageRequestRecorder();
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services =>
        {
            services.UseTicketServiceBus(sender);
            recorder.Install(services);
        });
        var table = await TicketOutboxRows.TableAsync(api);
        foreach (var category in new[] { 751, 752, 753 })
        {
            for (var ticket = category * 10; ticket < (category * 10) + 4; ticket++)
            {
                await TicketOutboxRows.WriteAsync(api, category, ticket, 1, 5, LongAgo);

                // Ticket rows beside the outbox: the relay must never read them.
                await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(TicketRows.CategoryPartition(category), TicketRows.Ticket(ticket)), cancellationToken: TestContext.Current.CancellationToken);
            }
        }

        recorder.Clear();
        Assert.Equal(12, await RelayAsync(api));

        Assert.Equal(4, recorder.Queries.Count);
        Assert.Single(recorder.Queries, q => q == "PartitionKey eq 'categories'");
        Assert.Equal(3, recorder.Queries.Count(q => q.Contains("RowKey ge 'outbox-' and RowKey lt 'outbox.'", StringComparison.Ordinal)));
        Assert.All(recorder.Transactions, t => Assert.Single(t.Distinct()));
        Assert.Equal(12, sender.Sent.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task ARegistryRowThatIsNotACategoryIdIsLoggedAndPassedOverWhileTheOthersAreRelayed()
    {
        var logs = new CapturedLogs();
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services =>
        {
            services.UseTicketServiceBus(sender);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        });
        await TicketOutboxRows.WriteAsync(api, 761, 5, 1, 5, LongAgo);
        var table = await TicketOutboxRows.TableAsync(api);
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(TicketRows.CategoriesPartition, "stray"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, await RelayAsync(api));

        Assert.Equal(["ticket-5-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Contains(logs.Entries, e => e.Contains("not a category id, stray", StringComparison.Ordinal));
    }
}
