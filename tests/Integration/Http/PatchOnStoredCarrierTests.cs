using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Http;

/// <summary>
/// Patches on the REST PUT apply to the stored carrier (RFC 7396 / RFC 6902 against the current resource);
/// on the agent POSTs they apply to an empty request document (issue 11).
/// </summary>
public sealed class PatchOnStoredCarrierTests(AzuriteFixture azurite)
{
    private const string Route = "/api/v1/User/259/UserPresenceStatus";
    private const string SetRoute = "/api/v1/Agents/User/SetUserPresenceStatus";

    private static async Task<TestApi> StartAwayAsync(AzuriteFixture azurite)
    {
        var api = await TestApi.StartAsync(azurite);
        var set = await api.SendAsync(HttpMethod.Put, Route, """{"Status":"StatusNotAvailable","Message":"Lunch"}""", "application/json");
        await set.AssertAsync(200, "application/json");
        await api.SettledAsync(); // its outbox row is gone once published
        return api;
    }

    [Fact]
    public async Task AMergePatchPutOfTheMessageKeepsTheStoredStatus()
    {
        await using var api = await StartAwayAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Put, Route, """{"Message":"Back at 2"}""", "application/merge-patch+json");

        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Back at 2"}""", await response.AssertAsync(200, "application/json"));
        var stored = await api.SendAsync(HttpMethod.Get, Route);
        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Back at 2"}""", await stored.AssertAsync(200, "application/json"));
    }

    [Fact]
    public async Task AMergePatchPutWithNullRemovesTheStoredMessage()
    {
        await using var api = await StartAwayAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Put, Route, """{"Status":"StatusNormal","Message":null}""", "application/merge-patch+json");

        Assert.Equal("""{"Status":"StatusNormal","Message":null}""", await response.AssertAsync(200, "application/json"));
    }

    [Fact]
    public async Task AMergePatchPutOnAnAssociateNeverSetStartsFromPresent()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Put, Route, """{"Message":"In today"}""", "application/merge-patch+json");

        Assert.Equal("""{"Status":"StatusNormal","Message":"In today"}""", await response.AssertAsync(200, "application/json"));
    }

    [Fact]
    public async Task AJsonPatchPutAppliesToTheStoredCarrier()
    {
        await using var api = await StartAwayAsync(azurite);

        var response = await api.SendAsync(
            HttpMethod.Put,
            Route,
            """[{"op":"test","path":"/status","value":"StatusNotAvailable"},{"op":"replace","path":"/Message","value":"Back at 2"}]""",
            "application/json-patch+json");

        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Back at 2"}""", await response.AssertAsync(200, "application/json"));
    }

    [Fact]
    public async Task AJsonPatchPutWhoseTestFailsAgainstTheStoredCarrierIs400AndWritesNothing()
    {
        await using var api = await StartAwayAsync(azurite);
        var rows = (await api.RowsAsync(259)).Count;

        var response = await api.SendAsync(
            HttpMethod.Put,
            Route,
            """[{"op":"test","path":"/Status","value":"StatusNormal"},{"op":"replace","path":"/Message","value":"Back at 2"}]""",
            "application/json-patch+json");

        Assert.Contains("operation 1 (test)", await response.AssertAsync(400, "application/json"), StringComparison.Ordinal);
        Assert.Equal(rows, (await api.RowsAsync(259)).Count);
        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Lunch"}""", await (await api.SendAsync(HttpMethod.Get, Route)).AssertAsync(200, "application/json"));
    }

    [Fact]
    public async Task AJsonPatchPutOnAPathOutsideTheCarrierIs400()
    {
        await using var api = await StartAwayAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Put, Route, """[{"op":"add","path":"/AssociateId","value":1}]""", "application/json-patch+json");

        Assert.Contains("operation 1 (add)", await response.AssertAsync(400, "application/json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMergePatchOnTheAgentSetAppliesToAnEmptyRequest()
    {
        await using var api = await StartAwayAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, """{"AssociateId":259,"UserPresenceStatus":{"Message":"Back at 2"}}""", "application/merge-patch+json");

        Assert.Contains("Status is required", await response.AssertAsync(400, "application/json"), StringComparison.Ordinal);
    }
}
