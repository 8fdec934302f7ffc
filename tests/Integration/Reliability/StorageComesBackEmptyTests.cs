using System.Net;
using Azure.Data.Tables;
using Microsoft.AspNetCore.TestHost;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Events;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Reliability;

/// <summary>
/// Storage that comes back without its tables (Azurite killed and restarted empty, a table deleted by
/// an operator): the service creates the tables again and carries on, never answering 500.
/// </summary>
public sealed class StorageComesBackEmptyTests(AzuriteFixture azurite)
{
    private static readonly string Sample = File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "tickets.json"));

    [Fact]
    public async Task AfterAzuriteIsKilledAndRestartedEmptyOnTheSamePortEverythingWorksWithTablesRecreatedAndNo500()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = AzuriteProcess.FreePort();
        var storage = await AzuriteProcess.StartAsync(port, location: null, ct);
        try
        {
            await using var api = await TestApi.StartAsync(storage.ConnectionString);
            await SeedData.Parse(Sample).WriteAsync(api.Get<TicketStore>(), api.Get<PresenceStore>(), ct);
            await AssertStatusAsync(200, await SetAsync(api, 5, "StatusNotAvailable"));
            await api.Get<OutboxRelay>().RelayAsync(ct);

            await storage.KillAsync();
            storage = await AzuriteProcess.StartAsync(port, location: null, ct);
            var service = new TableServiceClient(storage.ConnectionString);
            Assert.Empty(await TableNamesAsync(service));

            // The cached ETag of 5's status row points at a row that is gone: the Set goes the insert path.
            await AssertStatusAsync(200, await SetAsync(api, 5, "StatusNotAvailable", "after the restart"));
            Assert.Contains(api.PresenceTable.Name, await TableNamesAsync(service));
            var status = (await api.RowsAsync(5)).Single(r => r.RowKey == PresenceRows.Status);
            Assert.Equal("after the restart", status.GetString("Message"));
            Assert.Equal(1, status.GetInt64("Version"));
            await AssertStatusAsync(200, await api.SendAsync(HttpMethod.Get, "/api/v1/User/5/UserPresenceStatus"));

            // Users are gone with the Credentials table: an unknown login is 401, and a re-added user signs in.
            using var agent = api.App.GetTestClient();
            agent.DefaultRequestHeaders.Authorization = TestApi.Basic("agent", "agent-password");
            await AssertStatusAsync(401, await api.SendAsync(agent, HttpMethod.Get, "/api/v1/User/6/UserPresenceStatus"));
            Assert.True(await api.Credentials.AddOrUpdateUserAsync("agent", "agent-password", 6, isAdministrator: false, ct));
            await AssertStatusAsync(200, await api.SendAsync(agent, HttpMethod.Put, "/api/v1/User/6/UserPresenceStatus", """{"Status": "StatusNotAvailable"}""", "application/json"));

            // The relay and the rebalancer find their tables missing too, and recreate them rather than fail.
            await storage.KillAsync();
            storage = await AzuriteProcess.StartAsync(port, location: null, ct);
            Assert.Equal(0, await api.Get<OutboxRelay>().RelayAsync(ct));
            Assert.Equal(RebalanceResult.None, await api.Get<TicketRebalancer>().RebalanceAsync(10, ct));
            var tables = api.Get<StorageTables>().Names;
            Assert.Equal(new[] { tables.Presence, tables.Tickets }.Order(), (await TableNamesAsync(service)).Order());

            // Seeded again, a presence change moves tickets as before.
            await SeedData.Parse(Sample).WriteAsync(api.Get<TicketStore>(), api.Get<PresenceStore>(), ct);
            await AssertStatusAsync(200, await SetAsync(api, 1, "StatusNotAvailable"));
            await WaitUntilAsync(async () => (await api.Get<TicketStore>().ListTicketsAsync(10, ct)).Single(t => t.TicketId == 1001).OwnerId == 2, ct);
        }
        finally
        {
            await storage.DisposeAsync();
        }
    }

    [Fact]
    public async Task DeletingThePresenceTableWhileTheAppRunsLeavesTheNextSetAt200()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await TestApi.StartAsync(azurite);
        await AssertStatusAsync(200, await SetAsync(api, 7, "StatusNotAvailable"));

        await api.PresenceTable.DeleteAsync(ct);

        await AssertStatusAsync(200, await SetAsync(api, 7, "StatusNotAvailable", "after the delete"));
        var status = (await api.RowsAsync(7)).Single(r => r.RowKey == PresenceRows.Status);
        Assert.Equal("after the delete", status.GetString("Message"));
        Assert.Equal(1, status.GetInt64("Version"));
        await AssertStatusAsync(200, await SetAsync(api, 7, "StatusNormal"));
        Assert.Equal(2, (await api.RowsAsync(7)).Single(r => r.RowKey == PresenceRows.Status).GetInt64("Version"));
    }

    [Fact]
    public async Task DeletingTheCredentialsTableMakesALogin401AndIssuingATicketRecreatesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await TestApi.StartAsync(azurite);
        var credentials = azurite.Table(api.Get<StorageTables>().Names.Credentials);
        await credentials.DeleteAsync(ct);

        using var stranger = api.App.GetTestClient();
        stranger.DefaultRequestHeaders.Authorization = TestApi.Basic("stranger", "nope");
        await AssertStatusAsync(401, await api.SendAsync(stranger, HttpMethod.Get, "/api/v1/User/1/UserPresenceStatus"));
        Assert.False(await api.Credentials.AnyUserAsync(ct));

        await credentials.DeleteAsync(ct);
        var issued = await api.Credentials.IssueSoTicketAsync(3, isAdministrator: false, TimeSpan.FromHours(1), ct);
        using var holder = api.App.GetTestClient();
        await AssertStatusAsync(200, await api.SendAsync(holder, HttpMethod.Get, "/api/v1/User/3/UserPresenceStatus", headers: new Dictionary<string, string> { ["Authorization"] = "SoTicket " + issued.Ticket }));
    }

    private static Task<HttpResponseMessage> SetAsync(TestApi api, int associateId, string status, string message = "") =>
        api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", $$"""{"Status": "{{status}}", "Message": "{{message}}"}""", "application/json");

    private static async Task AssertStatusAsync(int expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == expected, $"Expected {expected}, got {(int)response.StatusCode}: {body}");
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    private static async Task<List<string>> TableNamesAsync(TableServiceClient service)
    {
        var names = new List<string>();
        await foreach (var table in service.QueryAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            names.Add(table.Name);
        }

        return names;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the rebalance.");
            await Task.Delay(100, ct);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PresenceFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
