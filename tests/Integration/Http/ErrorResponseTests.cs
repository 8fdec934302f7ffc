using System.Text.Json;
using System.Xml.Linq;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Http;

/// <summary>Each refusal: its status, SuperOffice's error body in the negotiated format, and nothing written.</summary>
public sealed class ErrorResponseTests(AzuriteFixture azurite)
{
    private const string SetRoute = "/api/v1/Agents/User/SetUserPresenceStatus";

    public static TheoryData<string, string, int, string> BadSets => new()
    {
        { "application/json", """{"AssociateId": 259, "UserPresenceStatus": {"Status": """, 400, "Body" },
        { "application/xml", "<SetUserPresenceStatusRequest><AssociateId>259</AssociateId>", 400, "Body" },
        { "application/xml", """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><SetUserPresenceStatusRequest><AssociateId>259</AssociateId><UserPresenceStatus><Status>2</Status><Message>&x;</Message></UserPresenceStatus></SetUserPresenceStatusRequest>""", 400, "Body" },
        { "application/json", """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusOnHoliday"}}""", 400, "UserPresenceStatus.Status" },
        { "application/json", """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusDeleted"}}""", 400, "UserPresenceStatus.Status" },
        { "application/json", """{"AssociateId": 0, "UserPresenceStatus": {"Status": "StatusNotAvailable"}}""", 400, "AssociateId" },
        { "application/json", """{"UserPresenceStatus": {"Status": "StatusNotAvailable"}}""", 400, "AssociateId" },
        { "application/json", "", 400, "Body" },
        { "text/plain", """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable"}}""", 415, "Content-Type" },
        { "application/json; charset=iso-8859-1", """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable"}}""", 415, "Content-Type" },
    };

    [Theory]
    [MemberData(nameof(BadSets))]
    public async Task BadInputGetsA4xxWithTheErrorBodyAndWritesNothing(string contentType, string body, int status, string source)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, body, contentType, "application/json");

        var error = JsonDocument.Parse(await response.AssertAsync(status, "application/json")).RootElement;
        Assert.True(error.GetProperty("Error").GetBoolean());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("ErrorType").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("ErrorMessage").GetString()));
        Assert.Equal(source, error.GetProperty("ErrorSource").GetString());
        Assert.DoesNotContain("   at ", error.GetProperty("ErrorMessage").GetString(), StringComparison.Ordinal);
        Assert.Empty(await api.RowsAsync());
    }

    [Fact]
    public async Task AnXmlErrorQuotingACharacterXmlCannotCarryIsStillAnXmlErrorBody()
    {
        // Found by HostileRequestTests: the error quoted a name holding U+0007, and XML 1.0 has no such character.
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Get, "/api/v1/UserPresenceStatus?associateIds=259&Bell%07=1", accept: "application/xml");

        var error = XElement.Parse(await response.AssertAsync(400, "application/xml"));
        Assert.Equal("Bell\uFFFD", error.Element("ErrorSource")?.Value);
        Assert.Empty(await api.RowsAsync());
    }

    [Fact]
    public async Task AOneMebibyteBodyIs413AndWritesNothing()
    {
        await using var api = await TestApi.StartAsync(azurite);
        var body = "{\"AssociateId\": 259, \"UserPresenceStatus\": {\"Status\": \"StatusNotAvailable\", \"Message\": \"" + new string('x', 1024 * 1024) + "\"}}";

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, body, "application/json");

        var error = JsonDocument.Parse(await response.AssertAsync(413, "application/json")).RootElement;
        Assert.Equal("PayloadTooLarge", error.GetProperty("ErrorType").GetString());
        Assert.Empty(await api.RowsAsync());
    }

    [Fact]
    public async Task ErrorsFollowTheAcceptHeader()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Post, SetRoute, "{", "application/json", "text/xml");

        var root = XDocument.Parse(await response.AssertAsync(400, "text/xml")).Root!;
        Assert.Equal("ErrorResponse", root.Name.LocalName);
        Assert.Equal("true", root.Element("Error")!.Value);
        Assert.Equal("BadRequest", root.Element("ErrorType")!.Value);
        Assert.Equal("Body", root.Element("ErrorSource")!.Value);
    }

    [Fact]
    public async Task AnUnknownRouteIs404WithTheErrorBody()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Get, "/api/v1/Agents/User/GetEverything");

        var error = JsonDocument.Parse(await response.AssertAsync(404, "application/json")).RootElement;
        Assert.Equal("NotFound", error.GetProperty("ErrorType").GetString());
    }

    [Fact]
    public async Task AKnownRouteWithAnotherMethodIs405WithAllow()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Delete, "/api/v1/User/259/UserPresenceStatus");

        await response.AssertAsync(405, "application/json");
        Assert.Equal("GET, PUT", string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("/api/v1/User/abc/UserPresenceStatus")]
    [InlineData("/api/v1/User/0/UserPresenceStatus")]
    [InlineData("/api/v1/User/-5/UserPresenceStatus")]
    public async Task ARouteAssociateIdThatIsNotPositiveIs400(string path)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Get, path);

        var error = JsonDocument.Parse(await response.AssertAsync(400, "application/json")).RootElement;
        Assert.Equal("associateId", error.GetProperty("ErrorSource").GetString());
    }

    [Fact]
    public async Task UnreachableStorageIs503WithRetryAfterAndTheErrorBody()
    {
        var nothingListens = DevelopmentStorage.ConnectionString(AzuriteProcess.FreePort());
        await using var api = await TestApi.StartAsync(nothingListens, signedIn: false);
        api.Anonymous.DefaultRequestHeaders.Authorization = TestApi.Basic("someone", "secret");

        var response = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus");

        var error = JsonDocument.Parse(await response.AssertAsync(503, "application/json")).RootElement;
        Assert.Equal("ServiceUnavailable", error.GetProperty("ErrorType").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
