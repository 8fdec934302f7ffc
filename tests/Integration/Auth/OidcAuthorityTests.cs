using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PresenceFunctions.Auth;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Auth;

/// <summary>Bearer against an OpenID Connect authority: issuer and signing keys come from its discovery document.</summary>
public sealed class OidcAuthorityTests(AzuriteFixture azurite)
{
    private const string Authority = "https://login.test";

    private static async Task<WebApplication> StartAuthorityAsync(RSA signingKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var parameters = signingKey.ExportParameters(includePrivateParameters: false);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new
        {
            issuer = Authority + "/",
            jwks_uri = Authority + "/keys",
            id_token_signing_alg_values_supported = new[] { "RS256" },
        }));
        app.MapGet("/keys", () => Results.Json(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        }));
        await app.StartAsync();
        return app;
    }

    private static string Token(RSA key, string issuer = Authority + "/") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = AuthTestKit.Audience,
        Expires = DateTime.UtcNow.AddMinutes(5),
        Claims = new Dictionary<string, object> { [BearerTokens.AssociateIdClaim] = "259" },
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
    });

    [Fact]
    public async Task JwtsAreValidatedAgainstTheAuthoritysPublishedKeys()
    {
        using var published = RSA.Create(2048);
        using var other = RSA.Create(2048);
        await using var authority = await StartAuthorityAsync(published);
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Bearer:Authority"] = Authority,
            ["Auth:Bearer:Audience"] = AuthTestKit.Audience,
        };
        await using var api = await TestApi.StartAsync(
            azurite,
            services => services.AddHttpClient(BearerTokens.MetadataClientName).ConfigurePrimaryHttpMessageHandler(() => authority.GetTestServer().CreateHandler()),
            settings);

        var signed = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus", headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token(published) });
        var forged = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus", headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token(other) });
        var otherIssuer = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus", headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token(published, "https://evil.test/") });

        await signed.AssertAsync(200, "application/json");
        await AuthTestKit.AssertUnauthorizedAsync(forged, bearerError: "invalid_token");
        await AuthTestKit.AssertUnauthorizedAsync(otherIssuer, bearerError: "invalid_token");
    }
}
