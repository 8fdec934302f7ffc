using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PresenceFunctions.Events;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Events;

/// <summary>Sent events' outbox rows are removed behind the dispatch lanes, together per partition, within a bound.</summary>
public sealed class OutboxCleanupTests(AzuriteFixture azurite)
{
    private static OutboxCleanup Cleanup(TestApi api, int capacity = 1024) =>
        new(api.Get<StorageTables>(), new SentOutboxRows(capacity, TimeSpan.Zero, TimeProvider.System), Options.Create(new OutboxOptions { CleanupCapacity = capacity }), TimeProvider.System, NullLogger<OutboxCleanup>.Instance);

    private static async Task<List<OutboxRow>> AddRowsAsync(TestApi api, string partition, int count)
    {
        await api.Get<StorageTables>().PresenceAsync(TestContext.Current.CancellationToken); // made on first use
        var rows = Enumerable.Range(1, count).Select(v => new OutboxRow(api.PresenceTable.Name, partition, PresenceRows.Outbox(v))).ToList();
        foreach (var row in rows)
        {
            await api.PresenceTable.AddEntityAsync(new TableEntity(row.PartitionKey, row.RowKey), TestContext.Current.CancellationToken);
        }

        return rows;
    }

    private static async Task<int> CountAsync(TestApi api, string partition) =>
        (await api.RowsAsync($"PartitionKey eq '{partition}'")).Count;

    [Fact]
    public async Task RowsGatheredWhileTheCleanupWasBusyAreRemovedInOneTransactionPerPartition()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var cleanup = Cleanup(api);
        var first = await AddRowsAsync(api, "9101", 7);
        var second = await AddRowsAsync(api, "9102", 3);
        Assert.Equal(10, cleanup.Take([.. first, .. second]));

        var running = cleanup.RunAsync(TestContext.Current.CancellationToken);
        await cleanup.WhenIdleAsync(TestContext.Current.CancellationToken);
        cleanup.Complete();
        await running;

        Assert.Equal(2, cleanup.Requests);
        Assert.Equal(0, await CountAsync(api, "9101"));
        Assert.Equal(0, await CountAsync(api, "9102"));
    }

    [Fact]
    public async Task ARowTheRelayRemovedFirstDoesNotKeepTheOthers()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var cleanup = Cleanup(api);
        var rows = await AddRowsAsync(api, "9103", 3);
        await api.PresenceTable.DeleteEntityAsync(rows[1].PartitionKey, rows[1].RowKey, cancellationToken: TestContext.Current.CancellationToken);
        cleanup.Take(rows);

        var running = cleanup.RunAsync(TestContext.Current.CancellationToken);
        await cleanup.WhenIdleAsync(TestContext.Current.CancellationToken);
        cleanup.Complete();
        await running;

        Assert.Equal(0, await CountAsync(api, "9103"));
        Assert.Equal(4, cleanup.Requests); // the refused transaction, then one delete each
    }

    [Fact]
    public async Task AFullCleanupTakesWhatFitsAtOnceAndLeavesTheRestForTheRelay()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var cleanup = Cleanup(api, capacity: 2);
        var rows = await AddRowsAsync(api, "9104", 3);

        Assert.Equal(2, cleanup.Take(rows)); // never waits: the lane goes on publishing

        var running = cleanup.RunAsync(TestContext.Current.CancellationToken);
        await cleanup.WhenIdleAsync(TestContext.Current.CancellationToken);
        cleanup.Complete();
        await running;
        Assert.Equal([rows[2].RowKey], (await api.RowsAsync("PartitionKey eq '9104'")).Select(r => r.RowKey));
    }

    [Fact]
    public async Task StoppingLeavesTheRowsItHeldForTheRelay()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var cleanup = Cleanup(api);
        var rows = await AddRowsAsync(api, "9105", 2);
        cleanup.Take(rows);
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();

        await cleanup.RunAsync(stopped.Token);

        await cleanup.WhenIdleAsync(TestContext.Current.CancellationToken); // nothing counted as pending forever
        Assert.Equal(0, cleanup.Requests);
        Assert.Equal(2, await CountAsync(api, "9105"));
    }
}

/// <summary>A storage timeout of the first delete, as the Azure SDK reports it: a bare TaskCanceledException.</summary>
public sealed class OutboxCleanupTimeoutTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AStorageTimeoutDoesNotStopTheCleanup()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await api.Get<StorageTables>().PresenceAsync(TestContext.Current.CancellationToken);
        var tables = new StorageTables(FirstRequestTimesOut.Client(azurite.ConnectionString, "9106"), api.Get<IOptions<TableNames>>(), NullLogger<StorageTables>.Instance);
        var cleanup = new OutboxCleanup(tables, new SentOutboxRows(16, TimeSpan.Zero, TimeProvider.System), Options.Create(new OutboxOptions()), TimeProvider.System, NullLogger<OutboxCleanup>.Instance);
        var first = new OutboxRow(api.PresenceTable.Name, "9106", PresenceRows.Outbox(1));
        var second = new OutboxRow(api.PresenceTable.Name, "9107", PresenceRows.Outbox(1));
        foreach (var row in new[] { first, second })
        {
            await api.PresenceTable.AddEntityAsync(new TableEntity(row.PartitionKey, row.RowKey), TestContext.Current.CancellationToken);
        }

        var running = cleanup.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, cleanup.Take([first]));
        await cleanup.WhenIdleAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(1, cleanup.Take([second]));
        await cleanup.WhenIdleAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(running.IsCompleted); // still reading
        Assert.Single(await api.RowsAsync("PartitionKey eq '9106'")); // timed out: stays for the relay
        Assert.Empty(await api.RowsAsync("PartitionKey eq '9107'"));
        cleanup.Complete();
        await running;
    }
}
