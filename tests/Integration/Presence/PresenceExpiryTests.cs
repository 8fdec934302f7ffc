using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tests.Integration.Tickets;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Presence;

/// <summary>
/// A Set with <c>expiresIn</c> reverts to StatusNormal once that time has passed: an ordinary change by associate 0,
/// made by the expiry timer (<see cref="PresenceExpirySweep"/>) only while nothing changed since.
/// </summary>
public sealed class PresenceExpiryTests(AzuriteFixture azurite)
{
    private const string Away = """{"Status": "StatusNotAvailable", "Message": "Dentist"}""";

    private static string UserRoute(int associateId) => $"/api/v1/User/{associateId}/UserPresenceStatus";

    private static async Task<(TestApi Api, FakeTimeProvider Clock, FlakySender Sender)> StartAsync(AzuriteFixture azurite)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 30, TimeSpan.Zero));
        var sender = new FlakySender();
        var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender).AddSingleton<TimeProvider>(clock));
        return (api, clock, sender);
    }

    private static Task<int> SweepAsync(TestApi api) => api.Get<PresenceExpirySweep>().SweepAsync(TestContext.Current.CancellationToken);

    private static async Task<(string Status, string? Message, string? Expires)> ReadAsync(TestApi api, int associateId)
    {
        using var response = await api.SendAsync(HttpMethod.Get, UserRoute(associateId));
        var body = JsonNode.Parse(await response.AssertAsync(200, "application/json"))!;
        return (body["Status"]!.GetValue<string>(), body["Message"]?.GetValue<string>(), Expires(response));
    }

    private static string? Expires(HttpResponseMessage response) =>
        response.Headers.TryGetValues("SO-Presence-Expires", out var values) ? Assert.Single(values) : null;

    [Fact]
    public async Task AnExpiredPresenceRevertsToStatusNormalAsOneChangeByAssociateZero()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;

        using var set = await api.SendAsync(HttpMethod.Put, UserRoute(801) + "?expiresIn=PT2H", Away, "application/json");
        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Dentist"}""", await set.AssertAsync(200, "application/json"));
        Assert.Equal("2026-03-02T11:00:30.000Z", Expires(set));
        Assert.Equal(("StatusNotAvailable", "Dentist", "2026-03-02T11:00:30.000Z"), await ReadAsync(api, 801));

        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await SweepAsync(api));

        Assert.Equal(("StatusNormal", null, null), await ReadAsync(api, 801));
        var latest = JsonNode.Parse(await (await api.SendAsync(HttpMethod.Get, UserRoute(801) + "/History?$top=1")).AssertAsync(200, "application/json"))![0]!;
        Assert.Equal(2, latest["Version"]!.GetValue<long>());
        Assert.Equal(0, latest["ChangedBy"]!.GetValue<int>());
        Assert.Equal("StatusNotAvailable", latest["PreviousStatus"]!.GetValue<string>());
        Assert.Equal(["presence-801-1", "presence-801-2"], sender.Sent.Select(m => m.MessageId));

        // A second run (or a second instance) finds nothing left: still exactly one event for the revert.
        Assert.Equal(0, await SweepAsync(api));
        Assert.Equal(2, sender.Sent.Count);
        Assert.Empty(await api.RowsAsync($"PartitionKey ge '{PresenceRows.ExpiryPrefix}0' and PartitionKey lt '{PresenceRows.ExpiryPrefix}A'"));
    }

    [Fact]
    public async Task TheRevertRebalancesLikeAnyChangeSoTheAssociateGetsWorkAgain()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 30, TimeSpan.Zero));
        await using var api = await TicketTestKit.StartAsync(azurite, services => services.AddSingleton<TimeProvider>(clock));
        await api.PutCategoryAsync(TicketTestKit.Category(40, AssignmentMethod.FewestOpen, [41, 42]));
        await (await api.SendAsync(HttpMethod.Put, UserRoute(41) + "?expiresIn=PT5M", Away, "application/json")).AssertAsync(200, "application/json");
        await api.SettledAsync(); // the pass runs after the answer

        Assert.Equal(42, (await api.PutTicketAsync(4000, 40)).OwnerId);

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await SweepAsync(api));
        await api.SettledAsync();

        // 41 is present again and has fewer open tickets than 42.
        Assert.Equal(41, (await api.PutTicketAsync(4001, 40)).OwnerId);
    }

    [Fact]
    public async Task NothingRevertsBeforeItsTime()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;
        await (await api.SendAsync(HttpMethod.Put, UserRoute(802) + "?expiresIn=PT10M", Away, "application/json")).AssertAsync(200, "application/json");

        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await SweepAsync(api));
        Assert.Equal("StatusNotAvailable", (await ReadAsync(api, 802)).Status);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await SweepAsync(api));
        Assert.Equal("StatusNormal", (await ReadAsync(api, 802)).Status);
    }

    [Fact]
    public async Task ANewerChangeIsNeverUndoneByAnEarlierExpiry()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;
        await (await api.SendAsync(HttpMethod.Put, UserRoute(803) + "?expiresIn=PT5M", Away, "application/json")).AssertAsync(200, "application/json");
        await (await api.SendAsync(HttpMethod.Put, UserRoute(803), """{"Status": "StatusNotAvailable", "Message": "Sick"}""", "application/json")).AssertAsync(200, "application/json");

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, await SweepAsync(api));

        Assert.Equal(("StatusNotAvailable", "Sick", null), await ReadAsync(api, 803));
        Assert.Equal(2, sender.Sent.Count);
    }

    [Fact]
    public async Task ANewerExpiryReplacesTheEarlierOne()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;
        await (await api.SendAsync(HttpMethod.Put, UserRoute(804) + "?expiresIn=PT5M", Away, "application/json")).AssertAsync(200, "application/json");
        using var longer = await api.SendAsync(HttpMethod.Put, UserRoute(804) + "?expiresIn=PT1H", Away, "application/json");
        Assert.Equal("2026-03-02T10:00:30.000Z", Expires(longer));

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, await SweepAsync(api));
        Assert.Equal(("StatusNotAvailable", "Dentist", "2026-03-02T10:00:30.000Z"), await ReadAsync(api, 804));

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await SweepAsync(api));
        Assert.Equal(("StatusNormal", null, null), await ReadAsync(api, 804));
        Assert.Equal(["presence-804-1", "presence-804-2"], sender.Sent.Select(m => m.MessageId));
    }

    [Fact]
    public async Task APlainSetCancelsThePendingExpiryWithoutANewVersion()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;
        await (await api.SendAsync(HttpMethod.Put, UserRoute(805) + "?expiresIn=PT5M", Away, "application/json")).AssertAsync(200, "application/json");

        using var plain = await api.SendAsync(HttpMethod.Put, UserRoute(805), Away, "application/json");
        await plain.AssertAsync(200, "application/json");
        Assert.Null(Expires(plain));

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await SweepAsync(api));
        Assert.Equal(("StatusNotAvailable", "Dentist", null), await ReadAsync(api, 805));
        Assert.Single(JsonNode.Parse(await (await api.SendAsync(HttpMethod.Get, UserRoute(805) + "/History")).AssertAsync(200, "application/json"))!.AsArray());
        Assert.Single(sender.Sent);
    }

    [Fact]
    public async Task TheAgentSetTakesExpiresInAndTheAgentGetCarriesTheHeader()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;

        using var set = await api.SendAsync(
            HttpMethod.Post,
            "/api/v1/Agents/User/SetUserPresenceStatus?expiresIn=PT30M",
            """{"AssociateId": 806, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""",
            "application/json");
        await set.AssertAsync(200, "application/json");
        Assert.Equal("2026-03-02T09:30:30.000Z", Expires(set));

        using var get = await api.SendAsync(HttpMethod.Post, "/api/v1/Agents/User/GetUserPresenceStatus", """{"AssociateId": 806}""", "application/json");
        await get.AssertAsync(200, "application/json");
        Assert.Equal("2026-03-02T09:30:30.000Z", Expires(get));
    }

    [Theory]
    [InlineData("PT0S")]
    [InlineData("P7DT1S")]
    [InlineData("P8D")]
    [InlineData("-PT1H")]
    [InlineData("2h")]
    [InlineData("PT")]
    [InlineData("P1Y")]
    [InlineData("PT2H&expiresIn=PT1H")]
    public async Task ABadExpiresInIs400AndWritesNothing(string expiresIn)
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;

        var body = await (await api.SendAsync(HttpMethod.Put, UserRoute(807) + "?expiresIn=" + expiresIn, Away, "application/json")).AssertAsync(400, "application/json");

        Assert.Equal("expiresIn", JsonNode.Parse(body)!["ErrorSource"]!.GetValue<string>());
        Assert.Empty(await api.RowsAsync());
    }

    [Fact]
    public async Task SevenDaysIsTheLongestExpiry()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;

        using var set = await api.SendAsync(HttpMethod.Put, UserRoute(808) + "?expiresIn=P7D", Away, "application/json");
        await set.AssertAsync(200, "application/json");

        Assert.Equal("2026-03-09T09:00:30.000Z", Expires(set));
    }

    [Fact]
    public async Task ExpiresInWithTheNullCarrierOfThePublishedSampleIs400()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;

        var body = await (await api.SendAsync(HttpMethod.Post, "/api/v1/Agents/User/SetUserPresenceStatus?expiresIn=PT1H", """{"AssociateId": 1, "UserPresenceStatus": null}""", "application/json"))
            .AssertAsync(400, "application/json");

        Assert.Equal("expiresIn", JsonNode.Parse(body)!["ErrorSource"]!.GetValue<string>());
        Assert.Empty(await api.RowsAsync());
    }

    [Fact]
    public async Task ATimerThatWasStoppedCatchesUpOnExpiriesItMissed()
    {
        var (api, clock, sender) = await StartAsync(azurite);
        await using var _ = api;
        Assert.Equal(0, await SweepAsync(api));
        await (await api.SendAsync(HttpMethod.Put, UserRoute(809) + "?expiresIn=PT2M", Away, "application/json")).AssertAsync(200, "application/json");

        clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(1, await SweepAsync(api));

        Assert.Equal("StatusNormal", (await ReadAsync(api, 809)).Status);
    }

    [Fact]
    public async Task TheTimerReadsOnlyTheExpiryIndexNeverTheAssociates()
    {
        var recorder = new StorageRequestRecorder();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 30, TimeSpan.Zero));
        await using var api = await TestApi.StartAsync(azurite, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            recorder.Install(services);
        });
        foreach (var associate in Enumerable.Range(810, 5))
        {
            await (await api.SendAsync(HttpMethod.Put, UserRoute(associate), Away, "application/json")).AssertAsync(200, "application/json");
        }

        await (await api.SendAsync(HttpMethod.Put, UserRoute(815) + "?expiresIn=PT1M", Away, "application/json")).AssertAsync(200, "application/json");
        Assert.Equal(0, await SweepAsync(api));
        clock.Advance(TimeSpan.FromMinutes(2));
        recorder.Clear();

        Assert.Equal(1, await SweepAsync(api));

        // The minutes since the cursor, each one partition read; the presence partitions only by point reads of
        // the associates due (the rebalancer, reacting to the revert's event, reads its own rows).
        Assert.Equal(3, recorder.Queries.Count(q => q.StartsWith("PartitionKey eq 'expiry-", StringComparison.Ordinal)));
        Assert.DoesNotContain(recorder.Queries, q => q.Contains("associates-", StringComparison.Ordinal));
        Assert.DoesNotContain(recorder.Queries, q => System.Text.RegularExpressions.Regex.IsMatch(q, "PartitionKey eq '[0-9]+'"));
    }

    [Fact]
    public async Task OnAzuriteWithTheRealClockAnExpiryOfTwoSecondsRevertsOnTheNextRunAfterIt()
    {
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));
        await (await api.SendAsync(HttpMethod.Put, UserRoute(820) + "?expiresIn=PT2S", Away, "application/json")).AssertAsync(200, "application/json");
        Assert.Equal(0, await SweepAsync(api));

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        var reverted = 0;
        while (reverted == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            reverted = await SweepAsync(api);
        }

        Assert.Equal(1, reverted);
        Assert.Equal(("StatusNormal", null, null), await ReadAsync(api, 820));
        Assert.Equal(["presence-820-1", "presence-820-2"], sender.Sent.Select(m => m.MessageId));
    }
}
