using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Auth;
using PresenceFunctions.Tests.Integration.Infrastructure;
using static PresenceFunctions.Tests.Integration.Auth.AuthTestKit;

namespace PresenceFunctions.Tests.Integration.Auth;

/// <summary>Every scheme SuperOffice callers use, each way it succeeds and fails, over HTTP.</summary>
public sealed class AuthenticationTests(AzuriteFixture azurite)
{
    private const string OwnStatus = "/api/v1/User/259/UserPresenceStatus";
    private const string Away = """{"Status": "StatusNotAvailable", "Message": "Lunch"}""";

    private static Dictionary<string, string> Authorization(string value) => new() { ["Authorization"] = value };

    private static string BasicValue(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private async Task<TestApi> StartAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null)
    {
        var api = await TestApi.StartAsync(azurite, services, settings ?? BearerSettings());
        await api.Credentials.AddOrUpdateUserAsync("tje0", "Tje0", 259, isAdministrator: false, CancellationToken.None);
        return api;
    }

    private static Task<HttpResponseMessage> PutOwnAsync(TestApi api, IDictionary<string, string> headers, string path = OwnStatus) =>
        api.SendAsync(api.Anonymous, HttpMethod.Put, path, Away, "application/json", headers: headers);

    [Theory]
    [InlineData("Basic")]
    [InlineData("basic")]
    [InlineData("BASIC")]
    public async Task BasicWithTheRightPasswordSetsOwnStatus(string scheme)
    {
        await using var api = await StartAsync();

        var response = await PutOwnAsync(api, Authorization(scheme + BasicValue("TJE0", "Tje0")[5..]));

        await response.AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task UnknownUsersAndWrongPasswordsGetTheSame401()
    {
        await using var api = await StartAsync();

        var wrongPassword = await PutOwnAsync(api, Authorization(BasicValue("tje0", "wrong")));
        var unknownUser = await PutOwnAsync(api, Authorization(BasicValue("nobody", "Tje0")));

        await AssertUnauthorizedAsync(wrongPassword);
        await AssertUnauthorizedAsync(unknownUser);
        Assert.Equal(
            await wrongPassword.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await unknownUser.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic bm9jb2xvbg==")]
    [InlineData("Basic OnBhc3N3b3Jk")]
    [InlineData("Digest username=\"tje0\"")]
    [InlineData("SoTicket")]
    [InlineData("SoTicket not-a-ticket")]
    [InlineData("Bearer")]
    [InlineData("Bearer not.a.jwt")]
    [InlineData("tje0:Tje0")]
    public async Task MalformedAuthorizationHeadersAre401(string header)
    {
        await using var api = await StartAsync();

        await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization(header)));
    }

    [Theory]
    [InlineData("pass:word")]
    [InlineData("pæsswørd")]
    [InlineData("a-password-longer-than-a-few-hundred-bytes")]
    public async Task BasicPasswordsWithColonsNonAsciiAndManyBytesAuthenticate(string password)
    {
        password = password.StartsWith("a-password-longer", StringComparison.Ordinal) ? new string('p', 400) + "é" : password;
        await using var api = await StartAsync();
        await api.Credentials.AddOrUpdateUserAsync("brøn", password, 259, isAdministrator: false, CancellationToken.None);

        var right = await PutOwnAsync(api, Authorization(BasicValue("BRØN", password)));
        var wrong = await PutOwnAsync(api, Authorization(BasicValue("brøn", password[..^1])));

        await right.AssertAsync(200, "application/json");
        await AssertUnauthorizedAsync(wrong);
    }

    [Fact]
    public async Task BasicCredentialsThatAreNotUtf8Are401()
    {
        await using var api = await StartAsync();

        await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization("Basic " + Convert.ToBase64String([0x74, 0x6A, 0x65, 0x30, 0x3A, 0xFF, 0xFE]))));
    }

    [Fact]
    public async Task NoCredentialsAre401()
    {
        await using var api = await StartAsync();

        await AssertUnauthorizedAsync(await api.SendAsync(api.Anonymous, HttpMethod.Get, OwnStatus));
    }

    [Fact]
    public async Task ATicketInTheAuthorizationHeaderAuthenticates()
    {
        await using var api = await StartAsync();
        var issued = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);

        var response = await PutOwnAsync(api, Authorization("SoTicket " + issued.Ticket));

        await response.AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task AnExpiredTicketIs401()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        var issued = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(8), CancellationToken.None);
        Assert.Equal(200, (int)(await PutOwnAsync(api, Authorization("SoTicket " + issued.Ticket))).StatusCode);

        clock.Advance(TimeSpan.FromHours(8));

        await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization("SoTicket " + issued.Ticket)));
    }

    [Fact]
    public async Task ARevokedTicketIs401()
    {
        await using var api = await StartAsync();
        var issued = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Equal(200, (int)(await PutOwnAsync(api, Authorization("SoTicket " + issued.Ticket))).StatusCode);

        Assert.True(await api.Credentials.RevokeSoTicketAsync(issued.Ticket, CancellationToken.None));

        await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization("SoTicket " + issued.Ticket)));
    }

    [Fact]
    public async Task AnUnknownTicketIs401()
    {
        await using var api = await StartAsync();

        await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization("SoTicket 7T:" + Secrets.NewToken())));
    }

    [Fact]
    public async Task TheTicketCookieWithoutTheXsrfHeaderIs401()
    {
        await using var api = await StartAsync();
        var issued = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);

        await AssertUnauthorizedAsync(await PutOwnAsync(api, new Dictionary<string, string> { ["Cookie"] = "SoTicket=" + issued.Ticket }));
    }

    [Fact]
    public async Task TheTicketCookieWithTheWrongXsrfHeaderIs401()
    {
        await using var api = await StartAsync();
        var issued = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);
        var other = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);

        await AssertUnauthorizedAsync(await PutOwnAsync(api, new Dictionary<string, string>
        {
            ["Cookie"] = "SoTicket=" + issued.Ticket,
            ["X-XSRF-TOKEN"] = other.XsrfToken,
        }));
    }

    [Fact]
    public async Task TheTicketCookieWithItsXsrfHeaderAuthenticates()
    {
        await using var api = await StartAsync();
        var issued = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);

        var response = await PutOwnAsync(api, new Dictionary<string, string>
        {
            ["Cookie"] = "theme=dark; SoTicket=" + issued.Ticket,
            ["X-XSRF-TOKEN"] = issued.XsrfToken,
        });

        await response.AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task AValidJwtAuthenticatesAsItsAssociateClaim()
    {
        await using var api = await StartAsync();

        await (await PutOwnAsync(api, Authorization("Bearer " + Jwt()))).AssertAsync(200, "application/json");
        await (await PutOwnAsync(api, Authorization("bearer " + Jwt(associateClaim: BearerTokens.ShortAssociateIdClaim)))).AssertAsync(200, "application/json");
    }

    public static TheoryData<string, string> BadJwts => new()
    {
        { "tampered", Tampered(Jwt(associateId: 259)) },
        { "expired", Jwt(expires: DateTime.UtcNow.AddMinutes(-5)) },
        { "wrong issuer", Jwt(issuer: "https://elsewhere.test/") },
        { "wrong audience", Jwt(audience: "another-api") },
        { "wrong key", Jwt(key: Convert.ToBase64String(new byte[32])) },
        { "no associate claim", Jwt(associateId: null) },
        { "several associate ids", Jwt(associateId: 259, moreAssociateIds: [1]) },
        { "typ of an ID token's kind", Jwt(type: "id_token+jwt") },
        { "typ of a logout token", Jwt(type: "logout+jwt") },
        { "typ absent", HandMadeJwt(type: null) },
    };

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData("at+jwt")]
    [InlineData("AT+JWT")]
    [InlineData("application/at+jwt")]
    public async Task JwtsTypedAsJwtOrAccessTokenAuthenticate(string type)
    {
        await using var api = await StartAsync();

        await (await PutOwnAsync(api, Authorization("Bearer " + Jwt(type: type)))).AssertAsync(200, "application/json");
        await (await PutOwnAsync(api, Authorization("Bearer " + HandMadeJwt(type)))).AssertAsync(200, "application/json");
    }

    [Theory]
    [InlineData("administrator")]
    [InlineData("ADMINISTRATOR")]
    [InlineData("Administrator ")]
    public async Task RoleNamesCompareOrdinallySoACaseVariantIsNotAdministrator(string role)
    {
        await using var api = await StartAsync();

        var response = await PutOwnAsync(api, Authorization("Bearer " + Jwt(associateId: 9, role: role)), "/api/v1/User/260/UserPresenceStatus");

        await AssertForbiddenAsync(response, "Setting another associate's presence requires the Administrator role.", "AssociateId");
        Assert.Empty(await api.RowsAsync(260));
    }

    [Theory]
    [MemberData(nameof(BadJwts))]
    public async Task BadJwtsAre401WithInvalidToken(string why, string token)
    {
        Assert.NotEmpty(why);
        await using var api = await StartAsync();

        await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization("Bearer " + token)), bearerError: "invalid_token");
    }

    [Fact]
    public async Task JwtsAreRefusedWhenBearerIsNotConfigured()
    {
        await using var api = await StartAsync(settings: []);

        await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization("Bearer " + Jwt())));
    }

    [Fact]
    public async Task NonAdminCannotSetAnotherAssociatesStatus()
    {
        await using var api = await StartAsync();

        var basic = await PutOwnAsync(api, Authorization(BasicValue("tje0", "Tje0")), "/api/v1/User/260/UserPresenceStatus");
        var jwt = await PutOwnAsync(api, Authorization("Bearer " + Jwt(role: null)), "/api/v1/User/260/UserPresenceStatus");
        var agent = await api.SendAsync(
            api.Anonymous, HttpMethod.Post, "/api/v1/Agents/User/SetUserPresenceStatus",
            """{"AssociateId": 260, "UserPresenceStatus": null}""", "application/json", headers: Authorization(BasicValue("tje0", "Tje0")));

        foreach (var response in new[] { basic, jwt, agent })
        {
            await AssertForbiddenAsync(response, "Setting another associate's presence requires the Administrator role.", "AssociateId");
        }

        Assert.Empty(await api.RowsAsync(260));
    }

    [Fact]
    public async Task AdministratorsSetAnyonesStatus()
    {
        await using var api = await StartAsync();
        await api.Credentials.AddOrUpdateUserAsync("boss", "Boss!", 9, isAdministrator: true, CancellationToken.None);
        var ticket = await api.Credentials.IssueSoTicketAsync(9, isAdministrator: true, TimeSpan.FromHours(1), CancellationToken.None);

        await (await PutOwnAsync(api, Authorization(BasicValue("boss", "Boss!")), "/api/v1/User/260/UserPresenceStatus")).AssertAsync(200, "application/json");
        await (await PutOwnAsync(api, Authorization("SoTicket " + ticket.Ticket), "/api/v1/User/261/UserPresenceStatus")).AssertAsync(200, "application/json");
        await (await PutOwnAsync(api, Authorization("Bearer " + Jwt(associateId: 9, role: "Administrator")), "/api/v1/User/262/UserPresenceStatus")).AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task AnyoneAuthenticatedReadsAnyonesStatus()
    {
        await using var api = await StartAsync();

        var response = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/v1/User/999/UserPresenceStatus", headers: Authorization(BasicValue("tje0", "Tje0")));

        await response.AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task AnAppTokenNotOnTheAllowListIs403()
    {
        await using var api = await StartAsync(settings: new Dictionary<string, string?> { ["Auth:AllowedAppTokens"] = "partner-one" });

        var response = await PutOwnAsync(api, new Dictionary<string, string>
        {
            ["Authorization"] = BasicValue("tje0", "Tje0"),
            ["SO-AppToken"] = "partner-two",
        });

        await AssertForbiddenAsync(response, "User management is not allowed for partner apps", "SO-AppToken");
        Assert.Empty(await api.RowsAsync(259));
    }

    [Theory]
    [InlineData("partner-one")]
    [InlineData("partner-two")]
    public async Task AnAppTokenOnTheAllowListIsLetThrough(string token)
    {
        // partner-two is configured by its hash only.
        var settings = new Dictionary<string, string?> { ["Auth:AllowedAppTokens"] = "partner-one, sha256:" + Secrets.Hash("partner-two") };
        await using var api = await StartAsync(settings: settings);

        var response = await PutOwnAsync(api, new Dictionary<string, string>
        {
            ["Authorization"] = BasicValue("tje0", "Tje0"),
            ["SO-AppToken"] = token,
        });

        await response.AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task BasicOnAHundredConsecutiveRequestsRunsPbkdf2Once()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(services => services.AddSingleton<IPasswordHasher<UserEntity>>(hasher));
        var before = hasher.Verifications;

        for (var i = 0; i < 100; i++)
        {
            var response = await api.SendAsync(api.Anonymous, HttpMethod.Get, OwnStatus, headers: Authorization(BasicValue("tje0", "Tje0")));
            Assert.Equal(200, (int)response.StatusCode);
        }

        Assert.Equal(1, hasher.Verifications - before);
    }

    [Fact]
    public async Task AChangedPasswordTakesEffectWithinTheCacheLifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        Assert.Equal(200, (int)(await PutOwnAsync(api, Authorization(BasicValue("tje0", "Tje0")))).StatusCode);

        await api.Credentials.AddOrUpdateUserAsync("tje0", "Changed!", 259, isAdministrator: false, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(61));

        await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization(BasicValue("tje0", "Tje0"))));
        await (await PutOwnAsync(api, Authorization(BasicValue("tje0", "Changed!")))).AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task FailuresAreNeverRemembered()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(services => services.AddSingleton<IPasswordHasher<UserEntity>>(hasher));
        var before = hasher.Verifications;

        for (var i = 0; i < 3; i++)
        {
            await AssertUnauthorizedAsync(await PutOwnAsync(api, Authorization(BasicValue("tje0", "wrong"))));
        }

        Assert.Equal(3, hasher.Verifications - before);
    }
}
