using System.Net;
using System.Text;
using Azure.Data.Tables;
using PresenceFunctions.Cli.Bench;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Cli;

/// <summary>The benchmark's baselines send what they claim to: the raw workloads' rows, and the HTTP floor's storage work and answer.</summary>
public sealed class BenchWorkloadTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ATakingOverWorkloadKeepsOneOutboxRowPerAssociateHoldingItsLatestEvent()
    {
        var table = azurite.Table("benchtakeover" + Guid.NewGuid().ToString("N"));
        var workload = new RawStorageWorkload(table, takeOver: true);
        await workload.PrepareAsync(2, TestContext.Current.CancellationToken);

        for (var n = 0; n < 3; n++)
        {
            await workload.CommitAsync(0, n, TestContext.Current.CancellationToken);
        }

        var outbox = await OutboxRowsAsync(table, 0);
        var row = Assert.Single(outbox);
        Assert.Equal(4, row.Version);
        Assert.Equal(4, (await StatusAsync(table, 0)).Version);
        Assert.Single(await OutboxRowsAsync(table, 1));
    }

    [Fact]
    public async Task ANewRowWorkloadAddsAnOutboxRowForEveryTransaction()
    {
        var table = azurite.Table("benchnewrow" + Guid.NewGuid().ToString("N"));
        var workload = new RawStorageWorkload(table, takeOver: false);
        await workload.PrepareAsync(1, TestContext.Current.CancellationToken);

        for (var n = 0; n < 3; n++)
        {
            await workload.CommitAsync(0, n, TestContext.Current.CancellationToken);
        }

        Assert.Equal([1L, 2, 3, 4], (await OutboxRowsAsync(table, 0)).Select(r => r.Version).Order());
    }

    [Fact]
    public async Task TheFloorCommitsTheTransactionAndAnswersWithTheGivenBodyAndAnythingElseIsNotFound()
    {
        var table = azurite.Table("benchfloor" + Guid.NewGuid().ToString("N"));
        var workload = new RawStorageWorkload(table, takeOver: true);
        await workload.PrepareAsync(2, TestContext.Current.CancellationToken);
        var answer = Encoding.UTF8.GetBytes("""{"Status":"StatusNormal"}""");
        await using var floor = await HttpFloor.StartAsync(workload, answer, "application/json; charset=utf-8", TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = floor.Address };

        using var response = await http.PutAsync(HttpFloor.PathOf(1), new StringContent("""{"Status": 2}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        using var unknown = await http.PutAsync(HttpFloor.PathOf(2), new StringContent("{}"), TestContext.Current.CancellationToken);
        using var elsewhere = await http.GetAsync("api/v1/User/1/UserPresenceStatus", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(answer, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(2, (await StatusAsync(table, 1)).Version);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    private static async Task<List<OutboxEntity>> OutboxRowsAsync(TableClient table, int key)
    {
        var partition = PresenceRows.Partition(key);
        var rows = new List<OutboxEntity>();
        await foreach (var row in table.QueryAsync<OutboxEntity>(e => e.PartitionKey == partition && e.RowKey.CompareTo(PresenceRows.OutboxPrefix) >= 0 && e.RowKey.CompareTo(PresenceRows.OutboxEnd) < 0, cancellationToken: TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<PresenceStatusEntity> StatusAsync(TableClient table, int key) =>
        (await table.GetEntityAsync<PresenceStatusEntity>(PresenceRows.Partition(key), PresenceRows.Status, cancellationToken: TestContext.Current.CancellationToken)).Value;
}
