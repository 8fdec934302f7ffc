using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PresenceFunctions.Auth;

namespace PresenceFunctions.Tests.Integration.Auth;

/// <summary>JWTs, a PBKDF2 counter and the assertions every 401 and 403 share.</summary>
public static class AuthTestKit
{
    public const string Issuer = "https://issuer.test/";
    public const string Audience = "presence-api";
    public static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string?> BearerSettings() => new()
    {
        ["Auth:Bearer:Issuer"] = Issuer,
        ["Auth:Bearer:Audience"] = Audience,
        ["Auth:Bearer:SigningKey"] = SigningKey,
    };

    public static string Jwt(
        int? associateId = 259,
        string issuer = Issuer,
        string audience = Audience,
        DateTime? expires = null,
        string? key = null,
        string? role = null,
        string associateClaim = BearerTokens.AssociateIdClaim,
        string? type = null,
        int[]? moreAssociateIds = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "user-" + associateId };
        if (associateId is not null)
        {
            claims[associateClaim] = associateId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (associateId is not null && moreAssociateIds is not null)
        {
            claims[associateClaim] = new[] { associateId.Value }.Concat(moreAssociateIds).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }

        if (role is not null)
        {
            claims["roles"] = new[] { "Reader", role };
        }

        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expiry.AddMinutes(-20),
            NotBefore = expiry.AddMinutes(-20),
            Expires = expiry,
            Claims = claims,
            TokenType = type,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A validly signed HS256 token built by hand, so its header can lack <c>typ</c> (the handler always writes one).</summary>
    public static string HandMadeJwt(string? type, int associateId = 259)
    {
        var header = Base64UrlEncoder.Encode(type is null ? """{"alg":"HS256"}""" : JsonSerializer.Serialize(new { alg = "HS256", typ = type }));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["nbf"] = now - 60,
            ["exp"] = now + 600,
            [BearerTokens.AssociateIdClaim] = associateId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        var signature = System.Security.Cryptography.HMACSHA256.HashData(Convert.FromBase64String(SigningKey), System.Text.Encoding.ASCII.GetBytes(header + "." + payload));
        return header + "." + payload + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>Rewrites the payload (making the token claim another associate) and keeps the old signature.</summary>
    public static string Tampered(string jwt)
    {
        var parts = jwt.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        var changed = payload.ToDictionary(p => p.Key, p => (object)p.Value);
        changed[BearerTokens.AssociateIdClaim] = "1";
        return parts[0] + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(changed)) + "." + parts[2];
    }

    public static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string? bearerError = null)
    {
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(401, (int)response.StatusCode);
        Assert.True(body.GetProperty("Error").GetBoolean());
        Assert.Equal("Unauthorized", body.GetProperty("ErrorType").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("ErrorMessage").GetString()));
        var challenges = response.Headers.WwwAuthenticate.Select(h => h.ToString()).ToList();
        Assert.Contains("Basic realm=\"SuperOffice Username or Ticket\"", challenges);
        Assert.Contains(challenges, c => c.StartsWith("SoTicket", StringComparison.Ordinal));
        Assert.Contains(challenges, c => c.StartsWith("Bearer", StringComparison.Ordinal));
        if (bearerError is not null)
        {
            Assert.Contains($"Bearer error=\"{bearerError}\"", challenges);
        }
    }

    public static async Task AssertForbiddenAsync(HttpResponseMessage response, string message, string source)
    {
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(403, (int)response.StatusCode);
        Assert.True(body.GetProperty("Error").GetBoolean());
        Assert.Equal("Forbidden", body.GetProperty("ErrorType").GetString());
        Assert.Equal(message, body.GetProperty("ErrorMessage").GetString());
        Assert.Equal(source, body.GetProperty("ErrorSource").GetString());
        Assert.Empty(response.Headers.WwwAuthenticate);
    }
}

/// <summary>The real PBKDF2 hasher with the app's iteration count, counting how often it verifies (and, for tests that need it, holding each verification).</summary>
public sealed class CountingPasswordHasher(int iterations = AuthOptions.MinimumPasswordIterations, Action? onVerify = null) : IPasswordHasher<UserEntity>
{
    private readonly PasswordHasher<UserEntity> inner = new(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = iterations }));
    private int verifications;

    public int Verifications => verifications;

    public string HashPassword(UserEntity user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(UserEntity user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref verifications);
        onVerify?.Invoke();
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
