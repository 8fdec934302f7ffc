using System.Text.Json.Nodes;
using System.Xml.Linq;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Presence;

/// <summary>GET UserPresenceStatus?associateIds=...: many associates' presence in one answer, in the order asked.</summary>
public sealed class TeamPresenceTests(AzuriteFixture azurite)
{
    private const string Route = "/api/v1/UserPresenceStatus";

    private static async Task SetAwayAsync(TestApi api, int associateId, string message) =>
        await (await api.SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", $$"""{"Status": "StatusNotAvailable", "Message": "{{message}}"}""", "application/json"))
            .AssertAsync(200, "application/json");

    private static async Task<JsonArray> TeamAsync(TestApi api, string query) =>
        JsonNode.Parse(await (await api.SendAsync(HttpMethod.Get, Route + query)).AssertAsync(200, "application/json"))!.AsArray();

    [Fact]
    public async Task EachAssociateIsAnsweredInTheOrderAskedAndOnesNeverSetReadStatusNormal()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SetAwayAsync(api, 602, "Lunch");

        var team = await TeamAsync(api, "?associateIds=603,602,601");

        Assert.Equal([603, 602, 601], team.Select(t => t!["AssociateId"]!.GetValue<int>()));
        Assert.Equal(["StatusNormal", "StatusNotAvailable", "StatusNormal"], team.Select(t => t!["Status"]!.GetValue<string>()));
        Assert.Equal([null, "Lunch", null], team.Select(t => t!["Message"]?.GetValue<string>()));
    }

    [Fact]
    public async Task AHundredAssociatesAreReadInOneRequest()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var ids = Enumerable.Range(700, 100).ToList();
        foreach (var id in ids.Where(i => i % 10 == 0))
        {
            await SetAwayAsync(api, id, $"away {id}");
        }

        var team = await TeamAsync(api, "?associateIds=" + string.Join(',', ids));

        Assert.Equal(ids, team.Select(t => t!["AssociateId"]!.GetValue<int>()));
        Assert.Equal(10, team.Count(t => t!["Status"]!.GetValue<string>() == "StatusNotAvailable"));
        Assert.Equal("away 750", team[50]!["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task DuplicatesAreRemovedKeepingTheFirstPosition()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var team = await TeamAsync(api, "?associateIds=5,%206,5,7,6");

        Assert.Equal([5, 6, 7], team.Select(t => t!["AssociateId"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AHundredDistinctIdsWithDuplicatesBesideThemAreAccepted()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var ids = Enumerable.Range(1, 100).Concat(Enumerable.Range(1, 100));

        Assert.Equal(100, (await TeamAsync(api, "?associateIds=" + string.Join(',', ids))).Count);
    }

    [Theory]
    [InlineData("", "associateIds")]
    [InlineData("?associateIds=", "associateIds")]
    [InlineData("?associateIds=1,,2", "associateIds")]
    [InlineData("?associateIds=1,x", "associateIds")]
    [InlineData("?associateIds=0", "associateIds")]
    [InlineData("?associateIds=-3", "associateIds")]
    [InlineData("?associateIds=99999999999", "associateIds")]
    [InlineData("?associateIds=1&associateIds=2", "associateIds")]
    [InlineData("?associateIds=1&ids=2", "ids")]
    public async Task ABadListIs400NamingTheParameter(string query, string field)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var body = await (await api.SendAsync(HttpMethod.Get, Route + query)).AssertAsync(400, "application/json");

        Assert.Equal(field, JsonNode.Parse(body)!["ErrorSource"]!.GetValue<string>());
    }

    [Fact]
    public async Task MoreThanAHundredDistinctIdsIs400AndReadsNothing()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TestApi.StartAsync(azurite, recorder.Install);
        recorder.Clear();

        await (await api.SendAsync(HttpMethod.Get, Route + "?associateIds=" + string.Join(',', Enumerable.Range(1, 101)))).AssertAsync(400, "application/json");

        Assert.DoesNotContain(recorder.Requests, r => r.Contains("RowKey='status'", StringComparison.Ordinal));

        // The same look finds the reads of a list that is accepted.
        await (await api.SendAsync(HttpMethod.Get, Route + "?associateIds=1")).AssertAsync(200, "application/json");
        Assert.Contains(recorder.Requests, r => r.Contains("RowKey='status'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SelectAppliesToEachItemAndXmlListsThemUnderTheRoot()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SetAwayAsync(api, 611, "Lunch");

        var selected = await TeamAsync(api, "?associateIds=611&$select=AssociateId,Status");
        Assert.Equal(611, selected[0]!["AssociateId"]!.GetValue<int>());
        Assert.Null(selected[0]!["Message"]);

        var xml = XDocument.Parse(await (await api.SendAsync(HttpMethod.Get, Route + "?associateIds=611,612", accept: "application/xml")).AssertAsync(200, "application/xml"));
        Assert.Equal("ArrayOfAssociatePresence", xml.Root!.Name.LocalName);
        Assert.Equal(["611", "612"], xml.Root.Elements("AssociatePresence").Select(e => e.Element("AssociateId")!.Value));
    }

    [Fact]
    public async Task TheTeamViewNeedsCredentials()
    {
        await using var api = await TestApi.StartAsync(azurite);

        await (await api.SendAsync(api.Anonymous, HttpMethod.Get, Route + "?associateIds=1")).AssertAsync(401, "application/json");
    }
}
