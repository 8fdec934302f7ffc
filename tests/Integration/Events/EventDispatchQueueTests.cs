using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Events;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Events;

/// <summary>A Set answers once it commits; its event is published afterwards from a bounded queue, and the outbox relay covers whatever the queue does not.</summary>
public sealed class EventDispatchQueueTests(AzuriteFixture azurite)
{
    private static async Task SetAwayAsync(TestApi api, int associateId)
    {
        // Wide bound: a Set that waited for the blocked publisher would not answer at all.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus")
        {
            Content = new StringContent("""{"Status": "StatusNotAvailable", "Message": "Out"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await api.Client.SendAsync(request, timeout.Token);
        await response.AssertAsync(200, "application/json");
    }

    private static async Task<List<string>> OutboxAsync(TestApi api, string? filter = null) =>
        [.. (await api.RowsAsync(filter)).Where(r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal)).Select(r => r.PartitionKey + "/" + r.RowKey)];

    [Fact]
    public async Task ASetAnswersWhileThePublisherIsBlockedAndItsEventIsPublishedOnceItUnblocks()
    {
        var publisher = new GatedPublisher();
        await using var api = await TestApi.StartAsync(
            azurite,
            services => services.AddSingleton<IPresenceEventPublisher>(publisher),
            new Dictionary<string, string?> { ["Outbox:PublishTimeoutSeconds"] = "60" });

        await SetAwayAsync(api, 41);

        Assert.Empty(publisher.Published);
        Assert.Equal(["41/" + PresenceRows.Outbox(1)], await OutboxAsync(api));
        publisher.Open();
        await api.SettledAsync();

        Assert.Equal(["presence-41-1"], publisher.Published);
        Assert.Empty(await OutboxAsync(api));
    }

    [Fact]
    public async Task AFullQueueLeavesEventsInTheOutboxAndTheRelaySendsThem()
    {
        var publisher = new GatedPublisher();
        await using var api = await TestApi.StartAsync(
            azurite,
            services => services.AddSingleton<IPresenceEventPublisher>(publisher),
            new Dictionary<string, string?> { ["Outbox:DispatchLanes"] = "1", ["Outbox:DispatchCapacity"] = "1", ["Outbox:PublishTimeoutSeconds"] = "60" });

        // One lane holding one event (and one more in its publisher, at most): the third Set finds it full, and still answers.
        foreach (var associateId in new[] { 42, 43, 44 })
        {
            await SetAwayAsync(api, associateId);
        }

        publisher.Open();
        await api.SettledAsync();
        Assert.InRange(publisher.Published.Count, 1, 2);
        Assert.NotEmpty(await OutboxAsync(api));

        Assert.Equal(3 - publisher.Published.Count, await api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["presence-42-1", "presence-43-1", "presence-44-1"], publisher.Published.Order());
        Assert.Empty(await OutboxAsync(api));
    }

    [Fact]
    public async Task ShutdownWithANonEmptyQueueLosesNothingBecauseTheRelayFindsTheRest()
    {
        var blocked = new GatedPublisher(); // never opened: nothing can be published before the host stops
        var api = await TestApi.StartAsync(
            azurite,
            services => services.AddSingleton<IPresenceEventPublisher>(blocked),
            new Dictionary<string, string?> { ["Outbox:DrainSeconds"] = "1", ["Outbox:PublishTimeoutSeconds"] = "60" });
        int[] associates = [45, 46, 47, 48];
        foreach (var associateId in associates)
        {
            await SetAwayAsync(api, associateId);
        }

        var table = api.PresenceTable.Name;
        await api.App.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, api.Get<EventDispatchQueue>().Pending);
        await api.DisposeAsync();
        Assert.Empty(blocked.Published);

        // The next process, on the same table: its relay sends every event the stopped one left.
        var sender = new FlakySender();
        await using var next = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender), new Dictionary<string, string?> { ["Tables:Presence"] = table });
        Assert.Equal(associates.Length, await next.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));

        Assert.Equal(associates.Select(a => $"presence-{a}-1"), sender.Sent.Select(m => m.MessageId).Order());
        Assert.Empty(await OutboxAsync(next));
    }
}
