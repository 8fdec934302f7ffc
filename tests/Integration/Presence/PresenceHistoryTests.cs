using System.Text.Json.Nodes;
using System.Xml.Linq;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Presence;

/// <summary>GET User/{id}/UserPresenceStatus/History: newest first, paged by $top/$skip, one range read of the history rows.</summary>
public sealed class PresenceHistoryTests(AzuriteFixture azurite)
{
    private static string HistoryRoute(int associateId) => $"/api/v1/User/{associateId}/UserPresenceStatus/History";

    private static async Task SetAsync(TestApi api, int associateId, int status, string message) =>
        await (await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", $$"""{"Status": {{status}}, "Message": "{{message}}"}""", "application/json"))
            .AssertAsync(200, "application/json");

    private static async Task<JsonArray> HistoryAsync(TestApi api, string path)
    {
        var body = await (await api.SendAsync(HttpMethod.Get, path)).AssertAsync(200, "application/json");
        return JsonNode.Parse(body)!.AsArray();
    }

    [Fact]
    public async Task HistoryListsEveryChangeNewestFirstWithWhoAndWhatItWasBefore()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SetAsync(api, 501, 2, "Lunch");
        await SetAsync(api, 501, 1, "Back");
        await SetAsync(api, 501, 2, "Meeting");

        var history = await HistoryAsync(api, HistoryRoute(501));

        Assert.Equal([3L, 2L, 1L], history.Select(h => h!["Version"]!.GetValue<long>()));
        Assert.Equal(["Meeting", "Back", "Lunch"], history.Select(h => h!["Message"]!.GetValue<string>()));
        Assert.Equal(["StatusNotAvailable", "StatusNormal", "StatusNotAvailable"], history.Select(h => h!["Status"]!.GetValue<string>()));
        Assert.Equal(["StatusNormal", "StatusNotAvailable", "StatusNormal"], history.Select(h => h!["PreviousStatus"]!.GetValue<string>()));
        Assert.All(history, h => Assert.Equal(TestApi.AdminAssociateId, h!["ChangedBy"]!.GetValue<int>()));
        var times = history.Select(h => DateTimeOffset.Parse(h!["ChangedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task TopAndSkipPageThroughTheHistory()
    {
        await using var api = await TestApi.StartAsync(azurite);
        for (var i = 1; i <= 7; i++)
        {
            await SetAsync(api, 502, 2 - (i % 2), $"m{i}");
        }

        Assert.Equal([7L, 6L, 5L], (await HistoryAsync(api, HistoryRoute(502) + "?$top=3")).Select(h => h!["Version"]!.GetValue<long>()));
        Assert.Equal([4L, 3L, 2L], (await HistoryAsync(api, HistoryRoute(502) + "?$top=3&$skip=3")).Select(h => h!["Version"]!.GetValue<long>()));
        Assert.Equal([1L], (await HistoryAsync(api, HistoryRoute(502) + "?$TOP=3&$Skip=6")).Select(h => h!["Version"]!.GetValue<long>()));
        Assert.Empty(await HistoryAsync(api, HistoryRoute(502) + "?$skip=7"));
        Assert.Equal(7, (await HistoryAsync(api, HistoryRoute(502))).Count);
    }

    [Fact]
    public async Task TheDefaultPageIsTwentyChanges()
    {
        await using var api = await TestApi.StartAsync(azurite);
        for (var i = 1; i <= 22; i++)
        {
            await SetAsync(api, 503, 2, $"m{i}");
        }

        var history = await HistoryAsync(api, HistoryRoute(503));

        Assert.Equal(20, history.Count);
        Assert.Equal(22L, history[0]!["Version"]!.GetValue<long>());
        Assert.Equal(3L, history[^1]!["Version"]!.GetValue<long>());
    }

    [Fact]
    public async Task AnAssociateNeverSetHasAnEmptyHistory()
    {
        await using var api = await TestApi.StartAsync(azurite);

        Assert.Empty(await HistoryAsync(api, HistoryRoute(504)));
        Assert.Empty(await api.RowsAsync(504));
    }

    [Theory]
    [InlineData("?$top=0", "$top")]
    [InlineData("?$top=101", "$top")]
    [InlineData("?$top=ten", "$top")]
    [InlineData("?$skip=-1", "$skip")]
    [InlineData("?$skip=1000001", "$skip")]
    [InlineData("?$top=1&$top=2", "$top")]
    [InlineData("?top=5", "top")]
    public async Task AnOutOfRangeOrUnknownPageParameterIs400NamingIt(string query, string field)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var body = await (await api.SendAsync(HttpMethod.Get, HistoryRoute(505) + query)).AssertAsync(400, "application/json");

        Assert.Equal(field, JsonNode.Parse(body)!["ErrorSource"]!.GetValue<string>());
    }

    [Fact]
    public async Task AHundredIsTheLargestPage()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SetAsync(api, 506, 2, "x");

        Assert.Single(await HistoryAsync(api, HistoryRoute(506) + "?$top=100"));
    }

    [Fact]
    public async Task APageIsOneRangeReadOfTheHistoryRowsNeverAPartitionScan()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TestApi.StartAsync(azurite, recorder.Install);
        for (var i = 1; i <= 6; i++)
        {
            await SetAsync(api, 507, 2, $"m{i}");
        }

        // The events' outbox rows are removed after the answers: let that finish before counting the read.
        await api.SettledAsync();
        recorder.Clear();
        await HistoryAsync(api, HistoryRoute(507) + "?$top=2&$skip=1");

        // A point read of the status row (for the latest version), then the page's key range; nothing else of the partition.
        var query = Assert.Single(recorder.Queries, q => q.StartsWith("PartitionKey", StringComparison.Ordinal));
        Assert.Equal("PartitionKey eq '507' and RowKey ge 'history-0000000000000000004' and RowKey le 'history-0000000000000000005'", query);
        Assert.Equal(2, recorder.Queries.Count);
    }

    [Fact]
    public async Task SelectAppliesToEachChangeAndXmlListsThemUnderTheRoot()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SetAsync(api, 508, 2, "Lunch");

        var json = JsonNode.Parse(await (await api.SendAsync(HttpMethod.Get, HistoryRoute(508) + "?$select=Status")).AssertAsync(200, "application/json"))!.AsArray();
        Assert.Equal("StatusNotAvailable", json[0]!["Status"]!.GetValue<string>());
        Assert.Null(json[0]!["Message"]);

        var xml = XDocument.Parse(await (await api.SendAsync(HttpMethod.Get, HistoryRoute(508), accept: "application/xml")).AssertAsync(200, "application/xml"));
        Assert.Equal("ArrayOfUserPresenceStatusChange", xml.Root!.Name.LocalName);
        Assert.Equal("Lunch", xml.Root.Element("UserPresenceStatusChange")!.Element("Message")!.Value);
    }

    [Fact]
    public async Task HistoryNeedsCredentials()
    {
        await using var api = await TestApi.StartAsync(azurite);

        await (await api.SendAsync(api.Anonymous, HttpMethod.Get, HistoryRoute(509))).AssertAsync(401, "application/json");
    }
}
