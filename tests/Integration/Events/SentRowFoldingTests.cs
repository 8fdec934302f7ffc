using Azure.Data.Tables;
using PresenceFunctions.Events;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Events;

/// <summary>
/// A sent event's outbox row waits a while; the associate's next change removes it in its own transaction, and only rows
/// nobody folded cost the cleanup a request. Long delays here, so whatever disappears early was folded, not timed out.
/// </summary>
public sealed class SentRowFoldingTests(AzuriteFixture azurite)
{
    private static Dictionary<string, string?> Waiting(int delaySeconds) => new()
    {
        ["Outbox:GraceSeconds"] = "3600",
        ["Outbox:CleanupDelaySeconds"] = delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task SetAsync(TestApi api, int associateId, string message)
    {
        using var response = await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", $$"""{"Status": "StatusNotAvailable", "Message": "{{message}}"}""", "application/json");
        await response.AssertAsync(200, "application/json");
        await api.Get<EventDispatchQueue>().WhenCaughtUpAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<List<string>> OutboxAsync(TestApi api, int associateId) =>
        [.. (await api.RowsAsync(associateId)).Where(r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal)).Select(r => r.RowKey)];

    [Fact]
    public async Task ASentRowIsRemovedByTheAssociatesNextChangeWithoutARequestOfItsOwn()
    {
        await using var api = await TestApi.StartAsync(azurite, settings: Waiting(1800));

        await SetAsync(api, 51, "one");
        Assert.Equal([PresenceRows.Outbox(1)], await OutboxAsync(api, 51)); // sent, and waiting
        await SetAsync(api, 51, "two");
        await SetAsync(api, 51, "three");

        Assert.Equal([PresenceRows.Outbox(3)], await OutboxAsync(api, 51));
        Assert.Equal(0, api.Get<OutboxCleanup>().Requests);
        Assert.Equal(3, (await api.RowsAsync(51)).Count(r => r.RowKey.StartsWith(PresenceRows.HistoryPrefix, StringComparison.Ordinal)));
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
