using System.Text.Json;
using System.Xml.Linq;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Http;

/// <summary>
/// SuperOffice's calling conventions: agent parameters in the query string, the answer's format from
/// Content-Type when Accept does not say, jQuery's bracket forms, and no carrier that silently binds nothing.
/// </summary>
public sealed class AgentConventionsTests(AzuriteFixture azurite)
{
    private const string SetRoute = "/api/v1/Agents/User/SetUserPresenceStatus";
    private const string GetRoute = "/api/v1/Agents/User/GetUserPresenceStatus";
    private const string AwayJson = """{"Status":"StatusNotAvailable","Message":"Lunch"}""";
    private const string SetJson = """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""";
    private const string SetXml = "<SetUserPresenceStatusRequest><AssociateId>259</AssociateId><UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Lunch</Message></UserPresenceStatus></SetUserPresenceStatusRequest>";

    public static TheoryData<string, string, string> CarriersThatBindNothing => new()
    {
        { SetRoute, "application/json", """{"AssociateId": 259, "UserPresenceStatus": {}}""" },
        { SetRoute, "application/json", """{"AssociateId": 259, "UserPresenceStatus": {"Foo": 1}}""" },
        { SetRoute, "application/xml", "<SetUserPresenceStatusRequest><AssociateId>259</AssociateId><UserPresenceStatus/></SetUserPresenceStatusRequest>" },
        { SetRoute, "application/x-www-form-urlencoded", "AssociateId=259&UserPresenceStatus[Foo]=1" },
        { SetRoute + "?associateId=259&UserPresenceStatus%5BFoo%5D=1", "application/json", "{}" },
        { "/api/v1/User/259/UserPresenceStatus", "application/json", "{}" },
        { "/api/v1/User/259/UserPresenceStatus", "application/json", """{"Foo": 1}""" },
        { "/api/v1/User/259/UserPresenceStatus", "text/xml", "<UserPresenceStatus/>" },
        { "/api/v1/User/259/UserPresenceStatus", "application/x-www-form-urlencoded", "Foo=1" },
    };

    [Fact]
    public async Task GetWithTheAssociateIdOnlyInTheQueryAndNoBodyAnswersTheStatus()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await (await api.SendAsync(HttpMethod.Post, SetRoute, SetJson, "application/json")).AssertAsync(200, "application/json");

        var response = await api.SendAsync(HttpMethod.Post, GetRoute + "?associateId=259");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
    }

    [Fact]
    public async Task SetTakesTheAssociateIdFromTheQueryAndTheCarrierFromTheBody()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute + "?AssociateID=259", """{"UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""", "application/json");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
        Assert.Equal("StatusNotAvailable", (await StatusRowAsync(api, 259))!.GetString("Status"));
    }

    [Fact]
    public async Task SetTakesTheCarrierFromTheQueryToo()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute + "?associateId=259&UserPresenceStatus.Status=StatusNotAvailable&UserPresenceStatus%5BMessage%5D=Lunch");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
        Assert.Equal("Lunch", (await StatusRowAsync(api, 259))!.GetString("Message"));
    }

    [Fact]
    public async Task TheSameValueInQueryAndBodyIsFine()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute + "?associateId=259", SetJson, "application/json");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
    }

    [Theory]
    [InlineData(SetRoute + "?associateId=260", "AssociateId")]
    [InlineData(SetRoute + "?UserPresenceStatus.Status=StatusNormal", "UserPresenceStatus.Status")]
    [InlineData(SetRoute + "?associateId=259&associateId=259", "associateId")]
    [InlineData(SetRoute + "?UserPresenceStatus.Status=2&UserPresenceStatus[Status]=2", "UserPresenceStatus[Status]")]
    public async Task ConflictingOrRepeatedQueryParametersAre400NamingTheFieldAndWriteNothing(string path, string field)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, path, SetJson, "application/json");

        var error = JsonDocument.Parse(await response.AssertAsync(400, "application/json")).RootElement;
        Assert.Equal(field, error.GetProperty("ErrorSource").GetString());
        Assert.Empty(await api.RowsAsync());
    }

    [Fact]
    public async Task ABodylessPostWithoutQueryParametersIs400()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, GetRoute + "?$select=Status");

        var error = JsonDocument.Parse(await response.AssertAsync(400, "application/json")).RootElement;
        Assert.Equal("Body", error.GetProperty("ErrorSource").GetString());
    }

    [Theory]
    [InlineData(null, "application/xml", "application/xml")]
    [InlineData("*/*", "application/xml", "application/xml")]
    [InlineData(null, "text/xml; charset=utf-8", "text/xml")]
    [InlineData("application/json", "application/xml", "application/json")]
    public async Task WithoutAPreferenceInAcceptAnXmlRequestIsAnsweredInXml(string? accept, string contentType, string expected)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, SetXml, contentType, accept);

        var body = await response.AssertAsync(200, expected);
        if (expected == "application/json")
        {
            Assert.Equal(AwayJson, body);
        }
        else
        {
            var root = XDocument.Parse(body).Root!;
            Assert.Equal("UserPresenceStatus", root.Name.LocalName);
            Assert.Equal("StatusNotAvailable", root.Element("Status")!.Value);
        }
    }

    [Fact]
    public async Task AFormRequestWithoutAcceptIsAnsweredInJson()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, GetRoute, "AssociateId=259", "application/x-www-form-urlencoded", "*/*");

        await response.AssertAsync(200, "application/json");
    }

    [Theory]
    [InlineData(null, "application/xml")]
    [InlineData("*/*", "application/xml")]
    [InlineData("application/json", "application/json")]
    public async Task ErrorsOfAnXmlRequestFollowTheSameChoice(string? accept, string expected)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, "<SetUserPresenceStatusRequest><AssociateId>0</AssociateId></SetUserPresenceStatusRequest>", "application/xml", accept);

        var body = await response.AssertAsync(400, expected);
        var source = expected == "application/xml"
            ? XDocument.Parse(body).Root!.Element("ErrorSource")!.Value
            : JsonDocument.Parse(body).RootElement.GetProperty("ErrorSource").GetString();
        Assert.Equal("AssociateId", source);
    }

    [Fact]
    public async Task ABracketFormSetsTheStatus()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, "AssociateId=259&UserPresenceStatus%5BStatus%5D=StatusNotAvailable&UserPresenceStatus%5BMessage%5D=Lunch", "application/x-www-form-urlencoded");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
        var row = await StatusRowAsync(api, 259);
        Assert.Equal("StatusNotAvailable", row!.GetString("Status"));
        Assert.Equal("Lunch", row.GetString("Message"));
    }

    [Fact]
    public async Task ABracketAndADottedFieldForTheSamePathAre400AndWriteNothing()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, "AssociateId=259&UserPresenceStatus[Status]=StatusNotAvailable&UserPresenceStatus.Status=StatusNotAvailable", "application/x-www-form-urlencoded");

        await response.AssertAsync(400, "application/json");
        Assert.Empty(await api.RowsAsync());
    }

    [Theory]
    [MemberData(nameof(CarriersThatBindNothing))]
    public async Task ACarrierFromWhichNothingBindsIs400NamingItAndWritesNothing(string path, string contentType, string body)
    {
        await using var api = await TestApi.StartAsync(azurite);
        await (await api.SendAsync(HttpMethod.Post, SetRoute, SetJson, "application/json")).AssertAsync(200, "application/json");
        var before = await StatusRowAsync(api, 259);

        var response = await api.SendAsync(path.Contains("Agents", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Put, path, body, contentType, "application/json");

        var error = JsonDocument.Parse(await response.AssertAsync(400, "application/json")).RootElement;
        Assert.Equal("UserPresenceStatus", error.GetProperty("ErrorSource").GetString());
        var after = await StatusRowAsync(api, 259);
        Assert.Equal(before!.GetInt64("Version"), after!.GetInt64("Version"));
        Assert.Equal(before.ETag, after.ETag);
    }

    private static async Task<Azure.Data.Tables.TableEntity?> StatusRowAsync(TestApi api, int associateId) =>
        (await api.RowsAsync(associateId)).SingleOrDefault(r => r.RowKey == "status");
}
