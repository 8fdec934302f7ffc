using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Events;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Events;

/// <summary>
/// A sent event's outbox row waits a while; the associate's next change stores its own event in it, or removes it, in its
/// own transaction, and only rows nobody folded cost the cleanup a request. Long delays here, so whatever disappears early was folded, not timed out.
/// </summary>
public sealed class SentRowFoldingTests(AzuriteFixture azurite)
{
    private static Dictionary<string, string?> Waiting(int delaySeconds) => new()
    {
        ["Outbox:GraceSeconds"] = "3600",
        ["Outbox:CleanupDelaySeconds"] = delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task SetAsync(TestApi api, int associateId, string message, bool caughtUp = true)
    {
        using var response = await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", $$"""{"Status": "StatusNotAvailable", "Message": "{{message}}"}""", "application/json");
        await response.AssertAsync(200, "application/json");
        if (caughtUp)
        {
            await api.Get<EventDispatchQueue>().WhenCaughtUpAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task<List<string>> OutboxAsync(TestApi api, int associateId) =>
        [.. (await api.RowsAsync(associateId)).Where(r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal)).Select(r => r.RowKey)];

    private static async Task<OutboxEntity> OutboxRowAsync(TestApi api, int associateId, string rowKey) =>
        (await api.PresenceTable.GetEntityAsync<OutboxEntity>(associateId.ToString(System.Globalization.CultureInfo.InvariantCulture), rowKey, cancellationToken: TestContext.Current.CancellationToken)).Value;

    [Fact]
    public async Task TheNextChangeStoresItsEventInTheSentRowWithoutARequestOfItsOwn()
    {
        await using var api = await TestApi.StartAsync(azurite, settings: Waiting(1800));

        await SetAsync(api, 51, "one");
        Assert.Equal([PresenceRows.Outbox(1)], await OutboxAsync(api, 51)); // sent, and waiting
        await SetAsync(api, 51, "two");
        await SetAsync(api, 51, "three");

        // One row all along: each change stored its event in the row of the event before it, which had been sent.
        Assert.Equal([PresenceRows.Outbox(1)], await OutboxAsync(api, 51));
        var row = await OutboxRowAsync(api, 51, PresenceRows.Outbox(1));
        Assert.Equal(("presence-51-3", 3L), (row.EventId, row.Version));
        Assert.Contains("three", row.CloudEvent, StringComparison.Ordinal);
        Assert.Equal(0, api.Get<OutboxCleanup>().Requests);
        Assert.Equal(3, (await api.RowsAsync(51)).Count(r => r.RowKey.StartsWith(PresenceRows.HistoryPrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnEventStoredInASentRowCarriesNoTraceParentOfTheEventBefore()
    {
        await using var api = await TestApi.StartAsync(azurite, settings: Waiting(1800));
        using (var traced = await api.SendAsync(api.Client, HttpMethod.Put, "/api/v1/User/58/UserPresenceStatus", """{"Status": "StatusNotAvailable", "Message": "one"}""", "application/json", headers: new Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }))
        {
            await traced.AssertAsync(200, "application/json");
        }

        await api.Get<EventDispatchQueue>().WhenCaughtUpAsync(TestContext.Current.CancellationToken);
        Assert.NotNull((await OutboxRowAsync(api, 58, PresenceRows.Outbox(1))).ToEvent().TraceParent);

        // A change with no trace to continue (as the expiry timer's revert), straight to the store: its event stays unsent.
        await api.Get<IPresenceStore>().ChangeAsync(58, new UserPresenceStatus(UserStatus.StatusNormal, "two"), 58, traceParent: null, TestContext.Current.CancellationToken);

        var stored = (await OutboxRowAsync(api, 58, PresenceRows.Outbox(1))).ToEvent();
        Assert.Equal((2L, (string?)null), (stored.Version, stored.TraceParent));
    }

    [Fact]
    public async Task ASentRowHoldingAnOlderEventIsDeletedNotReusedSoWaitingEventsStayInKeyOrder()
    {
        // Version 1 is sent only after version 2 committed in a row of its own, and version 2 fails to send: its row
        // waits for the relay, which reads a partition in key order. Version 3 must not go under version 1's key.
        var publisher = new ScriptedPublisher(holdVersion: 1, refuseVersion: 2);
        await using var api = await TestApi.StartAsync(azurite, services => services.AddSingleton<IPresenceEventPublisher>(publisher), Waiting(1800));
        await SetAsync(api, 59, "one", caughtUp: false);
        await SetAsync(api, 59, "two", caughtUp: false);
        publisher.Release();
        await api.Get<EventDispatchQueue>().WhenCaughtUpAsync(TestContext.Current.CancellationToken);

        await SetAsync(api, 59, "three");

        Assert.Equal([PresenceRows.Outbox(2), PresenceRows.Outbox(3)], await OutboxAsync(api, 59));
        Assert.Equal(2L, (await OutboxRowAsync(api, 59, PresenceRows.Outbox(2))).Version);
        Assert.Equal(3L, (await OutboxRowAsync(api, 59, PresenceRows.Outbox(3))).Version);
        Assert.Equal(["presence-59-1", "presence-59-3"], publisher.Published);
    }

    [Fact]
    public async Task AChangeReusingASentRowWhoseOtherWaitingRowIsGoneCommitsInARowOfItsOwnAndTheReusedRowIsRemovedLater()
    {
        // Versions 1 and 2 both sent and waiting (2 committed before 1 was sent, so in a row of its own); then the relay
        // removes version 1's row first. Version 3 would take over version 2's row and delete version 1's: refused (404).
        var publisher = new ScriptedPublisher(holdVersion: 1, refuseVersion: -1);
        await using var api = await TestApi.StartAsync(azurite, services => services.AddSingleton<IPresenceEventPublisher>(publisher), Waiting(1800));
        await SetAsync(api, 60, "one", caughtUp: false);
        await SetAsync(api, 60, "two", caughtUp: false);
        publisher.Release();
        await api.Get<EventDispatchQueue>().WhenCaughtUpAsync(TestContext.Current.CancellationToken);
        Assert.Equal([PresenceRows.Outbox(1), PresenceRows.Outbox(2)], await OutboxAsync(api, 60));
        await api.PresenceTable.DeleteEntityAsync("60", PresenceRows.Outbox(1), cancellationToken: TestContext.Current.CancellationToken);

        await SetAsync(api, 60, "three");

        var row = await OutboxRowAsync(api, 60, PresenceRows.Outbox(3));
        Assert.Equal(3L, row.Version);
        Assert.Equal(["presence-60-1", "presence-60-2", "presence-60-3"], publisher.Published);
        await api.SettledAsync(); // the waiting rows, removed now: version 2's went to the cleanup, not lost in the registry
        Assert.Empty(await OutboxAsync(api, 60));
    }

    /// <summary>Holds one version's publish until released, refuses another's, accepts the rest.</summary>
    private sealed class ScriptedPublisher(long holdVersion, long refuseVersion) : IPresenceEventPublisher
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> published = new();

        public IReadOnlyList<string> Published => [.. published];

        public void Release() => released.TrySetResult();

        public async Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
        {
            if (outboxEvent.Version == holdVersion)
            {
                await released.Task.WaitAsync(cancellationToken);
            }

            if (outboxEvent.Version == refuseVersion)
            {
                throw new InvalidOperationException("Refused, as a transport that is down.");
            }

            published.Enqueue(outboxEvent.EventId);
        }
    }

    [Fact]
    public async Task AChangeWhoseWaitingRowTheRelayRemovedFirstStillCommitsAtOnce()
    {
        await using var api = await TestApi.StartAsync(azurite, settings: Waiting(1800));
        await SetAsync(api, 52, "one");
        await api.PresenceTable.DeleteEntityAsync("52", PresenceRows.Outbox(1), cancellationToken: TestContext.Current.CancellationToken);

        await SetAsync(api, 52, "two");

        Assert.Equal([PresenceRows.Outbox(2)], await OutboxAsync(api, 52));
        var status = await api.PresenceTable.GetEntityAsync<TableEntity>("52", PresenceRows.Status, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2L, status.Value.GetInt64("Version"));
    }

    [Fact]
    public async Task ARowStoredAgainUnderTheWaitingRowsKeyIsNotRemoved()
    {
        // As after storage came back empty and the associate's versions started over: the same key, another event.
        await using var api = await TestApi.StartAsync(azurite, settings: Waiting(1800));
        await SetAsync(api, 53, "one");
        await api.PresenceTable.UpsertEntityAsync(new TableEntity("53", PresenceRows.Outbox(1)) { ["CloudEvent"] = "another event" }, TableUpdateMode.Replace, TestContext.Current.CancellationToken);

        await SetAsync(api, 53, "two");
        await api.SettledAsync(); // the waiting rows, removed now: the stored-again row is still not ours

        var kept = await api.PresenceTable.GetEntityAsync<TableEntity>("53", PresenceRows.Outbox(1), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("another event", kept.Value.GetString("CloudEvent"));
    }

    [Fact]
    public async Task AChangeAfterStorageWasEmptiedNeverFoldsAWaitingRowUnderItsOwnNewKey()
    {
        // The partition emptied while version 1's row waited: the next change is version 1 again, with the same outbox
        // key. A batch holding that key twice is refused outright, so the old row must stay out of it.
        await using var api = await TestApi.StartAsync(azurite, settings: Waiting(1800));
        await SetAsync(api, 57, "one");
        foreach (var row in await api.RowsAsync(57))
        {
            await api.PresenceTable.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: TestContext.Current.CancellationToken);
        }

        using (var read = await api.SendAsync(HttpMethod.Get, "/api/v1/User/57/UserPresenceStatus"))
        {
            await read.AssertAsync(200, "application/json"); // a read from storage: this process now knows the partition is empty
        }

        await SetAsync(api, 57, "two");

        Assert.Equal([PresenceRows.Outbox(1)], await OutboxAsync(api, 57));
        var status = await api.PresenceTable.GetEntityAsync<TableEntity>("57", PresenceRows.Status, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("two", status.Value.GetString("Message"));
    }

    [Fact]
    public async Task AWaitingRowNobodyFoldsIsRemovedOnceItsTimeIsUp()
    {
        await using var api = await TestApi.StartAsync(azurite, settings: Waiting(1));
        await SetAsync(api, 54, "one");

        // Wide bound: due after one second, then taken by the next tick of the cleanup.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await OutboxAsync(api, 54)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Empty(await OutboxAsync(api, 54));
        await api.Get<EventDispatchQueue>().WhenCaughtUpAsync(TestContext.Current.CancellationToken); // the delete is counted once it answered
        Assert.Equal(1, api.Get<OutboxCleanup>().Requests);
    }

    [Fact]
    public async Task StoppingRemovesTheRowsStillWaiting()
    {
        var api = await TestApi.StartAsync(azurite, settings: Waiting(1800));
        await SetAsync(api, 55, "one");
        await SetAsync(api, 56, "one");
        var table = api.PresenceTable;

        await api.App.StopAsync(TestContext.Current.CancellationToken); // the dispatcher drains, as on a host's shutdown
        await api.DisposeAsync();

        var left = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>("PartitionKey eq '55' or PartitionKey eq '56'", cancellationToken: TestContext.Current.CancellationToken))
        {
            left.Add(row);
        }

        Assert.DoesNotContain(left, r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal));
    }
}
