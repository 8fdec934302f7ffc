using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Events;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Storage;

public sealed class PresenceStorageTests(AzuriteFixture azurite)
{
    private const string SetRoute = "/api/v1/Agents/User/SetUserPresenceStatus";

    private static string SetBody(int associateId, string status, string message) =>
        JsonSerializer.Serialize(new { AssociateId = associateId, UserPresenceStatus = new { Status = status, Message = message } });

    [Fact]
    public async Task TwentyConcurrentSetsForOneAssociateAllCommitInOrder()
    {
        // Service Bus is down, so every event stays in the outbox where the test can count it.
        var sender = new FlakySender { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));

        var responses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            api.SendAsync(HttpMethod.Post, SetRoute, SetBody(259, i % 2 == 0 ? "StatusNormal" : "StatusNotAvailable", $"change {i}"), "application/json")));

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        var rows = await api.RowsAsync(259);
        var status = Assert.Single(rows, r => r.RowKey == PresenceRows.Status);
        Assert.Equal(20L, status.GetInt64("Version"));
        var history = rows.Where(r => r.RowKey.StartsWith(PresenceRows.HistoryPrefix, StringComparison.Ordinal)).ToList();
        var outbox = rows.Where(r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), history.Select(h => h.GetInt64("Version")!.Value).Order());
        Assert.Equal(20, outbox.Count);
        Assert.Equal(20, outbox.Select(o => o.GetString("EventId")).Distinct().Count());

        // The status row is the last committed change, and history chains each change to the one before.
        var last = history.Single(h => h.GetInt64("Version") == 20);
        Assert.Equal(last.GetString("Message"), status.GetString("Message"));
        foreach (var (earlier, later) in history.OrderBy(h => h.GetInt64("Version")).Zip(history.OrderBy(h => h.GetInt64("Version")).Skip(1)))
        {
            Assert.Equal(earlier.GetString("Status"), later.GetString("PreviousStatus"));
        }

        // Once Service Bus is back, the relay sends all twenty, each once, in version order.
        await api.SettledAsync(); // every attempt after the answers has failed
        sender.Failing = false;
        Assert.Equal(20, await api.Get<OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(Enumerable.Range(1, 20).Select(v => $"presence-259-{v}"), sender.Sent.Select(m => m.MessageId));
        Assert.DoesNotContain(await api.RowsAsync(259), r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WritersInDifferentProcessesRetryOnConflictAndLoseNothing()
    {
        // Two app instances share one table but not their in-process locks, so they race on the ETag.
        await using var first = await TestApi.StartAsync(azurite);
        var table = first.PresenceTable.Name;
        await using var second = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?> { ["Tables:Presence"] = table });
        var caller = new Caller(1, true, "Test", "test");
        var stores = new[] { first.Services.GetRequiredService<PresenceStore>(), second.Services.GetRequiredService<PresenceStore>() };

        var commits = await Task.WhenAll(Enumerable.Range(1, 16).Select(i =>
            stores[i % 2].ChangeAsync(77, new UserPresenceStatus(UserStatus.StatusNotAvailable, $"m{i}"), caller.AssociateId, null, TestContext.Current.CancellationToken)));

        Assert.All(commits, c => Assert.True(c.Changed));
        Assert.Equal(Enumerable.Range(1, 16).Select(v => (long)v), commits.Select(c => c.State.Version).Order());
        var rows = await first.RowsAsync(77);
        Assert.Equal(16L, rows.Single(r => r.RowKey == PresenceRows.Status).GetInt64("Version"));
        Assert.Equal(16, rows.Count(r => r.RowKey.StartsWith(PresenceRows.HistoryPrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ASetThatChangesNothingWritesNothing()
    {
        await using var api = await TestApi.StartAsync(azurite);

        await api.SendAsync(HttpMethod.Post, SetRoute, SetBody(5, "StatusNotAvailable", "Lunch"), "application/json");
        await api.SettledAsync();
        var before = await api.RowsAsync(5);
        await api.SendAsync(HttpMethod.Post, SetRoute, SetBody(5, "statusnotavailable", "Lunch"), "application/json");
        await api.SendAsync(HttpMethod.Put, "/api/v1/User/5/UserPresenceStatus", """{"Status": 2, "Message": "Lunch"}""", "application/json");
        await api.SendAsync(HttpMethod.Post, SetRoute, """{"AssociateId": 5, "UserPresenceStatus": null}""", "application/json");
        await api.SettledAsync();

        var after = await api.RowsAsync(5);
        Assert.Equal([PresenceRows.History(1), PresenceRows.Status], after.Select(r => r.RowKey));
        Assert.Equal(before.Select(r => (r.RowKey, r.ETag)), after.Select(r => (r.RowKey, r.ETag)));
    }

    [Fact]
    public async Task SettingPresentOnAnAssociateNeverSetWritesNothing()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, """{"AssociateId": 6, "UserPresenceStatus": {"Status": "StatusNormal"}}""", "application/json");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Empty(await api.RowsAsync(6));
    }

    [Fact]
    public async Task TheOutboxRowHoldsTheCloudEventOfItsChange()
    {
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(new FlakySender { Failing = true }));

        await api.SendAsync(HttpMethod.Post, SetRoute, SetBody(42, "StatusNotAvailable", "Dentist"), "application/json");

        var outbox = Assert.Single(await api.RowsAsync(42), r => r.RowKey == PresenceRows.Outbox(1));
        Assert.Equal("presence-42-1", outbox.GetString("EventId"));
        using var cloudEvent = JsonDocument.Parse(outbox.GetString("CloudEvent"));
        var root = cloudEvent.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("SuperOffice.UserPresenceStatus.Changed", root.GetProperty("type").GetString());
        Assert.Equal("presence-42-1", root.GetProperty("id").GetString());
        Assert.Equal("associate/42", root.GetProperty("subject").GetString());
        var data = root.GetProperty("data");
        Assert.Equal(42, data.GetProperty("associateId").GetInt32());
        Assert.Equal("StatusNotAvailable", data.GetProperty("status").GetString());
        Assert.Equal("StatusNormal", data.GetProperty("previousStatus").GetString());
        Assert.Equal("Dentist", data.GetProperty("message").GetString());
        Assert.Equal(1, data.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task ATransactionThatFailsLeavesTheStatusAsItWas()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await api.SendAsync(HttpMethod.Post, SetRoute, SetBody(8, "StatusNotAvailable", "one"), "application/json");

        // A stray row where version 2's outbox row must go makes the transaction fail whole. That is no race
        // to retry but storage holding what it should not, so it is reported as the server's fault.
        await api.PresenceTable.AddEntityAsync(new TableEntity("8", PresenceRows.Outbox(2)), TestContext.Current.CancellationToken);
        var response = await api.SendAsync(HttpMethod.Post, SetRoute, SetBody(8, "StatusNormal", "two"), "application/json");

        Assert.Equal(500, (int)response.StatusCode);
        var rows = await api.RowsAsync(8);
        var status = rows.Single(r => r.RowKey == PresenceRows.Status);
        Assert.Equal(1L, status.GetInt64("Version"));
        Assert.Equal("one", status.GetString("Message"));
        Assert.DoesNotContain(rows, r => r.RowKey == PresenceRows.History(2));
    }

    [Fact]
    public async Task ChangesRecordWhenAndByWhom()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await api.SendAsync(HttpMethod.Post, SetRoute, SetBody(9, "StatusNotAvailable", "x"), "application/json");

        var status = (await api.RowsAsync(9)).Single(r => r.RowKey == PresenceRows.Status);
        Assert.InRange(status.GetDateTimeOffset("ChangedAt")!.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.NotNull(status.GetInt32("ChangedBy"));
        Assert.Equal("9", status.PartitionKey.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AChangeAnswersAfterOneStorageRoundTripAndRemovesItsOutboxRowAfterTheAnswer()
    {
        // A publisher that cannot finish yet: whatever storage work the answer waited for is done when it comes.
        var recorder = new StorageRequestRecorder();
        var publisher = new GatedPublisher();
        await using var api = await TestApi.StartAsync(azurite, services =>
        {
            services.AddSingleton<IPresenceEventPublisher>(publisher);
            recorder.Install(services);
        });
        await api.SendAsync(HttpMethod.Put, "/api/v1/User/71/UserPresenceStatus", """{"Status": 2, "Message": "first"}""", "application/json");

        recorder.Clear();
        await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/71/UserPresenceStatus", """{"Status": 1, "Message": "second"}""", "application/json"))
            .AssertAsync(200, "application/json");

        // On the response path: the If-Match transaction with the ETag this process already knows, nothing else.
        Assert.EndsWith("/$batch", Assert.Single(recorder.Requests), StringComparison.Ordinal);

        // After it: the outbox rows' removal once published: one delete each, or both in one transaction when the
        // second was sent before the first was removed.
        publisher.Open();
        await api.SettledAsync();
        var after = recorder.Requests.Skip(1).ToList();
        Assert.True(after is [var batch] && batch.EndsWith("/$batch", StringComparison.Ordinal)
            || (after.Count == 2 && after.All(r => r.StartsWith("DELETE", StringComparison.Ordinal))), string.Join(", ", after));
        Assert.DoesNotContain(await api.RowsAsync(71), r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASetThatChangesNothingReadsOnceAndWritesNothing()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TestApi.StartAsync(azurite, services =>
        {
            services.UseServiceBus(new FlakySender());
            recorder.Install(services);
        });

        // A first request creates the table and signs in; then 73, never set, has nothing cached:
        // the one read from storage is trusted, and nothing is written.
        await api.SendAsync(HttpMethod.Get, "/api/v1/User/74/UserPresenceStatus");
        recorder.Clear();
        await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/73/UserPresenceStatus", """{"Status": "StatusNormal"}""", "application/json"))
            .AssertAsync(200, "application/json");

        Assert.Equal(["GET"], recorder.Requests.Select(r => r.Split(' ')[0]));
    }

    [Fact]
    public async Task ACachedStatusNeverDecidesThatNothingChanged()
    {
        // Instance a remembers "away"; instance b sets "present"; a's "away" must still be written.
        await using var a = await TestApi.StartAsync(azurite);
        await using var b = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?> { ["Tables:Presence"] = a.PresenceTable.Name });
        const string Away = """{"Status": "StatusNotAvailable", "Message": "out"}""";

        await a.SendAsync(HttpMethod.Put, "/api/v1/User/72/UserPresenceStatus", Away, "application/json");
        await b.SendAsync(HttpMethod.Put, "/api/v1/User/72/UserPresenceStatus", """{"Status": "StatusNormal"}""", "application/json");
        await a.SendAsync(HttpMethod.Put, "/api/v1/User/72/UserPresenceStatus", Away, "application/json");

        var status = (await a.RowsAsync(72)).Single(r => r.RowKey == PresenceRows.Status);
        Assert.Equal(3L, status.GetInt64("Version"));
        Assert.Equal("StatusNotAvailable", status.GetString("Status"));
    }

    [Fact]
    public async Task AStaleCachedETagCostsARetryNotAChange()
    {
        await using var a = await TestApi.StartAsync(azurite);
        await using var b = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?> { ["Tables:Presence"] = a.PresenceTable.Name });

        await a.SendAsync(HttpMethod.Put, "/api/v1/User/73/UserPresenceStatus", """{"Status": 2, "Message": "a1"}""", "application/json");
        await b.SendAsync(HttpMethod.Put, "/api/v1/User/73/UserPresenceStatus", """{"Status": 2, "Message": "b1"}""", "application/json");
        var response = await a.SendAsync(HttpMethod.Put, "/api/v1/User/73/UserPresenceStatus", """{"Status": 2, "Message": "a2"}""", "application/json");

        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"a2"}""", await response.AssertAsync(200, "application/json"));
        var rows = await a.RowsAsync(73);
        Assert.Equal(3L, rows.Single(r => r.RowKey == PresenceRows.Status).GetInt64("Version"));
        Assert.Equal(["a1", "b1", "a2"], rows.Where(r => r.RowKey.StartsWith(PresenceRows.HistoryPrefix, StringComparison.Ordinal)).OrderBy(r => r.RowKey).Select(r => r.GetString("Message")));
    }
}
