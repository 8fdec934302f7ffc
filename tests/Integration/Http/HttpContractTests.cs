using System.Xml.Linq;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Http;

/// <summary>Every route with every request content type and response format, through the real function classes.</summary>
public sealed class HttpContractTests(AzuriteFixture azurite)
{
    private const string SetRoute = "/api/v1/Agents/User/SetUserPresenceStatus";
    private const string GetRoute = "/api/v1/Agents/User/GetUserPresenceStatus";
    private const string AwayJson = """{"Status":"StatusNotAvailable","Message":"Lunch"}""";

    private const string SetJson = """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""";
    private const string SetXml = """<?xml version="1.0" encoding="utf-8"?><SetUserPresenceStatusRequest><AssociateId>259</AssociateId><UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Lunch</Message></UserPresenceStatus></SetUserPresenceStatusRequest>""";
    private const string SetForm = "AssociateId=259&UserPresenceStatus.Status=StatusNotAvailable&UserPresenceStatus.Message=Lunch";
    private const string SetPatch = """[{"op":"add","path":"/AssociateId","value":259},{"op":"add","path":"/UserPresenceStatus","value":{"Status":"StatusNotAvailable","Message":"Lunch"}}]""";

    private const string GetJson = """{"AssociateId": 259}""";
    private const string GetXml = "<GetUserPresenceStatusRequest><AssociateId>259</AssociateId></GetUserPresenceStatusRequest>";
    private const string GetPatch = """[{"op":"add","path":"/AssociateId","value":259}]""";

    private const string CarrierJson = """{"Status": "StatusNotAvailable", "Message": "Lunch"}""";
    private const string CarrierXml = """<UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Lunch</Message></UserPresenceStatus>""";
    private const string CarrierPatch = """[{"op":"add","path":"/Status","value":"StatusNotAvailable"},{"op":"add","path":"/Message","value":"Lunch"}]""";

    public static TheoryData<string, string> SetBodies => new()
    {
        { "application/json", SetJson },
        { "text/json", SetJson },
        { "application/xml", SetXml },
        { "text/xml", SetXml },
        { "application/x-www-form-urlencoded", SetForm },
        { "application/merge-patch+json", SetJson },
        { "application/json-patch+json", SetPatch },
    };

    public static TheoryData<string, string> GetBodies => new()
    {
        { "application/json", GetJson },
        { "text/json", GetJson },
        { "application/xml", GetXml },
        { "text/xml", GetXml },
        { "application/x-www-form-urlencoded", "AssociateId=259" },
        { "application/merge-patch+json", GetJson },
        { "application/json-patch+json", GetPatch },
    };

    public static TheoryData<string, string> CarrierBodies => new()
    {
        { "application/json", CarrierJson },
        { "text/json", CarrierJson },
        { "application/xml", CarrierXml },
        { "text/xml", CarrierXml },
        { "application/x-www-form-urlencoded", "Status=StatusNotAvailable&Message=Lunch" },
        { "application/merge-patch+json", CarrierJson },
        { "application/json-patch+json", CarrierPatch },
    };

    public static TheoryData<string, string> ResponseFormats => new()
    {
        { "application/json", "application/json" },
        { "text/json", "text/json" },
        { "application/xml", "application/xml" },
        { "text/xml", "text/xml" },
        { "application/json-patch+json", "application/json-patch+json" },
        { "application/merge-patch+json", "application/merge-patch+json" },
        { "application/json;q=0.4, text/xml;q=0.8", "text/xml" },
        { "*/*", "application/json" },
    };

    [Fact]
    public async Task ThePublishedSampleRequestAnswersTheCurrentStatus()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await api.Credentials.AddOrUpdateUserAsync("tje0", "Tje0", 259, isAdministrator: false, TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, SetRoute)
        {
            Content = new StringContent("""{ "AssociateId": 259, "UserPresenceStatus": null }"""),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dGplMDpUamUw");
        request.Headers.TryAddWithoutValidation("Accept", "application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en");

        var response = await api.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("""{"Status":"StatusNormal","Message":null}""", await response.AssertAsync(200, "application/json"));
        Assert.Empty(await api.RowsAsync(259));
    }

    [Theory]
    [MemberData(nameof(SetBodies))]
    public async Task AgentSetAcceptsEveryContentType(string contentType, string body)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, body, contentType + "; charset=utf-8", "application/json");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
        var stored = await api.SendAsync(HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus");
        Assert.Equal(AwayJson, await stored.AssertAsync(200, "application/json"));
    }

    [Theory]
    [MemberData(nameof(GetBodies))]
    public async Task AgentGetAcceptsEveryContentType(string contentType, string body)
    {
        await using var api = await TestApi.StartAsync(azurite);
        await api.SendAsync(HttpMethod.Post, SetRoute, SetJson, "application/json");

        var response = await api.SendAsync(HttpMethod.Post, GetRoute, body, contentType, "application/json");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
    }

    [Theory]
    [MemberData(nameof(CarrierBodies))]
    public async Task RestPutAcceptsEveryContentType(string contentType, string body)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Put, "/api/v1/User/259/UserPresenceStatus", body, contentType, "application/json");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
        var stored = await api.SendAsync(HttpMethod.Post, GetRoute, GetJson, "application/json");
        Assert.Equal(AwayJson, await stored.AssertAsync(200, "application/json"));
    }

    [Fact]
    public async Task RestGetOfAnAssociateNeverSetIsPresent()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Get, "/api/v1/User/4711/UserPresenceStatus");

        Assert.Equal("""{"Status":"StatusNormal","Message":null}""", await response.AssertAsync(200, "application/json"));
    }

    [Theory]
    [MemberData(nameof(ResponseFormats))]
    public async Task EveryRouteAnswersInTheNegotiatedFormat(string accept, string mediaType)
    {
        await using var api = await TestApi.StartAsync(azurite);
        var responses = new[]
        {
            await api.SendAsync(HttpMethod.Post, SetRoute, SetJson, "application/json", accept),
            await api.SendAsync(HttpMethod.Post, GetRoute, GetJson, "application/json", accept),
            await api.SendAsync(HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus", accept: accept),
            await api.SendAsync(HttpMethod.Put, "/api/v1/User/259/UserPresenceStatus", CarrierJson, "application/json", accept),
        };

        foreach (var response in responses)
        {
            var body = await response.AssertAsync(200, mediaType);
            if (mediaType.EndsWith("xml", StringComparison.Ordinal))
            {
                var root = XDocument.Parse(body).Root!;
                Assert.Equal("UserPresenceStatus", root.Name.LocalName);
                Assert.Equal("StatusNotAvailable", root.Element("Status")!.Value);
                Assert.Equal("Lunch", root.Element("Message")!.Value);
            }
            else
            {
                Assert.Equal(AwayJson, body);
            }
        }
    }

    [Fact]
    public async Task RoutesMatchCaseInsensitively()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, "/API/V1/agents/USER/setuserpresencestatus", SetJson, "application/json");

        Assert.Equal(AwayJson, await response.AssertAsync(200, "application/json"));
    }

    [Theory]
    [InlineData("status", """{"Status":"StatusNotAvailable","Message":null}""")]
    [InlineData("Message,STATUS", AwayJson)]
    [InlineData("name,department,category/id", """{"Status":null,"Message":null}""")]
    public async Task SelectNullsWhatIsNotSelected(string select, string expected)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute + "?$select=" + Uri.EscapeDataString(select), SetJson, "application/json");

        Assert.Equal(expected, await response.AssertAsync(200, "application/json"));
    }

    [Fact]
    public async Task SelectAppliesToXmlToo()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute + "?$select=Message", SetJson, "application/json", "application/xml");

        var root = XDocument.Parse(await response.AssertAsync(200, "application/xml")).Root!;
        Assert.Equal("true", root.Element("Status")!.Attribute(XName.Get("nil", "http://www.w3.org/2001/XMLSchema-instance"))!.Value);
        Assert.Equal("Lunch", root.Element("Message")!.Value);
    }

    [Fact]
    public async Task SettingTheSameStatusTwiceAnswersItBothTimes()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var first = await api.SendAsync(HttpMethod.Post, SetRoute, SetJson, "application/json");
        var second = await api.SendAsync(HttpMethod.Post, SetRoute, SetJson, "application/json");

        Assert.Equal(AwayJson, await first.AssertAsync(200, "application/json"));
        Assert.Equal(AwayJson, await second.AssertAsync(200, "application/json"));
    }
}
