using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Events;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Events;

/// <summary>Every committed change reaches Service Bus exactly under its own MessageId, however publishing fails.</summary>
public sealed class OutboxTests(AzuriteFixture azurite)
{
    private const string Away = """{"Status": "StatusNotAvailable", "Message": "Lunch"}""";

    private static Task<HttpResponseMessage> SetAwayAsync(TestApi api, int associateId) =>
        api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", Away, "application/json");

    private static async Task<List<string>> OutboxAsync(TestApi api, int associateId) =>
        [.. (await api.RowsAsync(associateId)).Where(r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal)).Select(r => r.RowKey)];

    [Fact]
    public async Task AnEventIsPublishedAfterTheAnswerAndItsRowRemoved()
    {
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));

        await (await SetAwayAsync(api, 31)).AssertAsync(200, "application/json");
        await api.SettledAsync();

        Assert.Equal(["presence-31-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Empty(await OutboxAsync(api, 31));
    }

    [Fact]
    public async Task WhenPublishingFailsTheSetSucceedsAndTheRelaySendsItLaterUnderTheSameMessageId()
    {
        var sender = new FlakySender { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));

        await (await SetAwayAsync(api, 32)).AssertAsync(200, "application/json");
        await api.SettledAsync(); // the queue's attempt has failed
        Assert.Equal([PresenceRows.Outbox(1)], await OutboxAsync(api, 32));
        Assert.Equal(0, await RelayWhileFailingAsync(api));

        sender.Failing = false;
        Assert.Equal(1, await api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));

        Assert.Equal(["presence-32-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Empty(await OutboxAsync(api, 32));
        Assert.Equal(0, await api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnEventCommittedByAProcessThatDiedBeforePublishingIsSentByTheRelay()
    {
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));

        // The store commits; nothing publishes, as if the process ended right there.
        await api.Get<PresenceStore>().ChangeAsync(33, new UserPresenceStatus(UserStatus.StatusNotAvailable, "gone"), 1, null, TestContext.Current.CancellationToken);
        Assert.Empty(sender.Sent);

        Assert.Equal(1, await api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["presence-33-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Empty(await OutboxAsync(api, 33));
    }

    [Fact]
    public async Task TheRelayLeavesEventsYoungerThanTheGracePeriod()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(
            azurite,
            services => services.UseServiceBus(sender).AddSingleton<TimeProvider>(clock),
            new Dictionary<string, string?> { ["Outbox:GraceSeconds"] = "10" });
        await api.Get<PresenceStore>().ChangeAsync(34, new UserPresenceStatus(UserStatus.StatusNotAvailable, null), 1, null, TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheRelayReadsTheRegistryAndOutboxRangesNeverHistory()
    {
        var recorder = new StorageRequestRecorder();
        var sender = new FlakySender { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services =>
        {
            services.UseServiceBus(sender);
            recorder.Install(services);
        });
        foreach (var associate in new[] { 41, 42, 43 })
        {
            for (var i = 0; i < 5; i++)
            {
                await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associate}/UserPresenceStatus", $$"""{"Status": 2, "Message": "m{{i}}"}""", "application/json");
            }
        }

        await api.SettledAsync(); // every publish after the answers has failed, so all 15 wait in the outbox
        sender.Failing = false;
        recorder.Clear();
        Assert.Equal(15, await api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));

        Assert.Equal(PresenceRows.AssociateShards + 3, recorder.Queries.Count);
        Assert.Equal(PresenceRows.AssociateShards, recorder.Queries.Count(q => q.StartsWith("PartitionKey eq 'associates-", StringComparison.Ordinal)));
        Assert.Equal(3, recorder.Queries.Count(q => q.Contains("RowKey ge 'outbox-' and RowKey lt 'outbox.'", StringComparison.Ordinal)));
        Assert.DoesNotContain(recorder.Queries, q => q.Contains("history", StringComparison.Ordinal));
        Assert.Equal(15, sender.Sent.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task EveryChangeTransactionStaysInItsAssociatesPartition()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TestApi.StartAsync(azurite, recorder.Install);

        await Task.WhenAll(Enumerable.Range(50, 5).Select(id => SetAwayAsync(api, id)));

        Assert.Equal(5, recorder.Transactions.Count);
        Assert.All(recorder.Transactions, t =>
        {
            Assert.Equal(3, t.Count);
            Assert.Single(t.Distinct());
        });
    }

    private static async Task<int> RelayWhileFailingAsync(TestApi api)
    {
        // The relay surfaces a failing publisher so its timer run fails and is retried; nothing is lost meanwhile.
        await Assert.ThrowsAnyAsync<Exception>(() => api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));
        return 0;
    }
}
