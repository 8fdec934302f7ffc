using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Http;

/// <summary>Every answer, success or error, on every route, says not to sniff and not to store it (issue 10).</summary>
public sealed class ResponseHeaderTests(AzuriteFixture azurite)
{
    public static TheoryData<string, string, string?, string?, bool> Requests => new()
    {
        { "GET", "/api/v1/User/259/UserPresenceStatus", null, null, true },
        { "PUT", "/api/v1/User/259/UserPresenceStatus", """{"Status":"StatusNormal"}""", "application/json", true },
        { "POST", "/api/v1/Agents/User/GetUserPresenceStatus", """{"AssociateId":259}""", "application/json", true },
        { "POST", "/api/v1/Agents/User/SetUserPresenceStatus", """{"AssociateId":259}""", "application/xml", true },
        { "POST", "/api/v1/Agents/User/SetUserPresenceStatus", "{", "application/json", true },
        { "PUT", "/api/v1/User/259/UserPresenceStatus", "x", "text/plain", true },
        { "GET", "/api/v1/User/259/UserPresenceStatus", null, null, false },
        { "GET", "/api/v1/Nowhere", null, null, true },
        { "DELETE", "/api/v1/User/259/UserPresenceStatus", null, null, true },
        { "GET", "/api/health", null, null, false },
        { "GET", "/api/openapi.json", null, null, false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task EveryAnswerCarriesNosniffAndNoStore(string method, string path, string? body, string? contentType, bool signedIn)
    {
        await using var api = await TestApi.StartAsync(azurite);

        using var response = await api.SendAsync(signedIn ? api.Client : api.Anonymous, new HttpMethod(method), path, body, contentType);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["no-store"], response.Headers.GetValues("Cache-Control"));
    }
}
