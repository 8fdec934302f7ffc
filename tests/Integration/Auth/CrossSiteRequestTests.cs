using System.Text.Json;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Auth;

/// <summary>A browser holding credentials cannot be made to post a form (or XML) to this API from another site.</summary>
public sealed class CrossSiteRequestTests(AzuriteFixture azurite)
{
    private const string SetPresence = "/api/v1/Agents/User/SetUserPresenceStatus";
    private const string Form = "AssociateId=259&UserPresenceStatus.Status=StatusNotAvailable&UserPresenceStatus.Message=Gone";
    private const string Xml = "<SetUserPresenceStatusRequest><AssociateId>259</AssociateId><UserPresenceStatus><Status>StatusNotAvailable</Status></UserPresenceStatus></SetUserPresenceStatusRequest>";
    private const string Json = """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable"}}""";

    private async Task<TestApi> StartAsync(string? allowedOrigins = null)
    {
        var settings = new Dictionary<string, string?> { ["Auth:AllowedOrigins"] = allowedOrigins };
        var api = await TestApi.StartAsync(azurite, settings: settings);
        await api.Credentials.AddOrUpdateUserAsync("tje0", "Tje0", 259, isAdministrator: false, CancellationToken.None);
        return api;
    }

    private static Task<HttpResponseMessage> PostAsync(TestApi api, string body, string contentType, Dictionary<string, string> headers)
    {
        headers["Authorization"] = TestApi.Basic("tje0", "Tje0").ToString();
        return api.SendAsync(api.Anonymous, HttpMethod.Post, SetPresence, body, contentType, accept: "application/json", headers: headers);
    }

    public static TheoryData<string, string, string, string?> CrossSite => new()
    {
        { Form, "application/x-www-form-urlencoded", "cross-site", null },
        { Form, "application/x-www-form-urlencoded; charset=utf-8", "cross-site", "https://evil.example" },
        { Form, "application/x-www-form-urlencoded", "", "https://evil.example" },
        { Form, "application/x-www-form-urlencoded", "", "null" },
        { Xml, "application/xml", "cross-site", null },
        { Xml, "text/xml", "", "https://evil.example" },
        { Form, "APPLICATION/X-WWW-FORM-URLENCODED", "Cross-Site", null },
    };

    [Theory]
    [MemberData(nameof(CrossSite))]
    public async Task ACrossSiteFormOrXmlRequestIs403AndWritesNothing(string body, string contentType, string fetchSite, string? origin)
    {
        await using var api = await StartAsync();
        var headers = new Dictionary<string, string>();
        if (fetchSite.Length > 0)
        {
            headers["Sec-Fetch-Site"] = fetchSite;
        }

        if (origin is not null)
        {
            headers["Origin"] = origin;
        }

        var response = await PostAsync(api, body, contentType, headers);

        var error = JsonDocument.Parse(await response.AssertAsync(403, "application/json")).RootElement;
        Assert.True(error.GetProperty("Error").GetBoolean());
        Assert.Equal("Forbidden", error.GetProperty("ErrorType").GetString());
        Assert.Equal("Origin", error.GetProperty("ErrorSource").GetString());
        Assert.Empty(await api.RowsAsync(259));
    }

    [Theory]
    [InlineData("same-origin", null)]
    [InlineData("same-site", null)]
    [InlineData("none", null)]
    [InlineData("", null)]
    [InlineData("same-origin", "http://localhost")]
    public async Task ASameSiteFormIsAccepted(string fetchSite, string? origin)
    {
        await using var api = await StartAsync();
        var headers = new Dictionary<string, string>();
        if (fetchSite.Length > 0)
        {
            headers["Sec-Fetch-Site"] = fetchSite;
        }

        if (origin is not null)
        {
            headers["Origin"] = origin;
        }

        await (await PostAsync(api, Form, "application/x-www-form-urlencoded", headers)).AssertAsync(200, "application/json");
        Assert.NotEmpty(await api.RowsAsync(259));
    }

    [Theory]
    [InlineData("https://crm.example.com", "same-site")]
    [InlineData("https://CRM.example.com/", "cross-site")]
    public async Task AFormFromAnAllowedOriginIsAccepted(string origin, string fetchSite)
    {
        await using var api = await StartAsync(allowedOrigins: "https://partner.example, https://crm.example.com");

        var response = await PostAsync(api, Xml, "application/xml", new() { ["Origin"] = origin, ["Sec-Fetch-Site"] = fetchSite });

        await response.AssertAsync(200, "application/json");
        Assert.NotEmpty(await api.RowsAsync(259));
    }

    [Fact]
    public async Task JsonWithAForeignOriginIsUnaffected()
    {
        await using var api = await StartAsync();

        var response = await PostAsync(api, Json, "application/json", new() { ["Origin"] = "https://evil.example", ["Sec-Fetch-Site"] = "cross-site" });

        await response.AssertAsync(200, "application/json");
        Assert.NotEmpty(await api.RowsAsync(259));
    }
}
