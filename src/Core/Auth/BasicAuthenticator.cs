using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Observability;

namespace PresenceFunctions.Auth;

/// <summary>
/// <c>Authorization: Basic base64(user:password)</c> against users with PBKDF2 hashes. A verified credential
/// is remembered for a short while under an HMAC of it, so clients sending Basic on every request do not
/// pay PBKDF2 every time; failures are never remembered.
/// </summary>
public sealed partial class BasicAuthenticator : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly CredentialStore store;
    private readonly IPasswordHasher<UserEntity> hasher;
    private readonly TimeProvider time;
    private readonly ILogger<BasicAuthenticator> logger;
    private readonly TimeSpan lifetime;
    private readonly MemoryCache cache;
    private readonly byte[] cacheKeySecret = RandomNumberGenerator.GetBytes(32);
    private readonly Lazy<string> decoyHash;

    public BasicAuthenticator(CredentialStore store, IPasswordHasher<UserEntity> hasher, IOptions<AuthOptions> options, TimeProvider time, ILogger<BasicAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.hasher = hasher;
        this.time = time;
        this.logger = logger;
        lifetime = TimeSpan.FromSeconds(Math.Max(0, options.Value.BasicCacheSeconds));
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.BasicCacheSize) });

        // Unknown users are checked against this hash, so they cost the same PBKDF2 run as a wrong password.
        decoyHash = new Lazy<string>(() => hasher.HashPassword(new UserEntity(), Secrets.NewToken()));
    }

    public async ValueTask<Caller> AuthenticateAsync(string parameter, CancellationToken cancellationToken)
    {
        if (!TryDecode(parameter, out var userName, out var password))
        {
            LogFailure(logger, "Basic", "malformed credentials", "-");
            throw AuthFailure.Unauthorized("The Basic credentials are not base64 of user:password.");
        }

        var key = CacheKey(userName, password);
        if (cache.TryGetValue(key, out Remembered? remembered) && remembered!.Until > time.GetUtcNow())
        {
            return remembered.Caller;
        }

        var user = await store.FindUserAsync(userName, cancellationToken).ConfigureAwait(false);
        var verdict = hasher.VerifyHashedPassword(user ?? new UserEntity(), user?.PasswordHash ?? decoyHash.Value, password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            LogFailure(logger, "Basic", user is null ? "unknown user" : "wrong password", LogText.Safe(userName));
            throw AuthFailure.Unauthorized("Unknown user name or wrong password.");
        }

        var caller = new Caller(user.AssociateId, user.IsAdministrator, "Basic", user.UserName);
        if (lifetime > TimeSpan.Zero)
        {
            cache.Set(key, new Remembered(caller, time.GetUtcNow() + lifetime), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        }

        return caller;
    }

    public void Dispose() => cache.Dispose();

    private static bool TryDecode(string parameter, out string userName, out string password)
    {
        userName = password = "";
        var encoded = parameter.Trim();
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (encoded.Length == 0 || !Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        userName = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    private string CacheKey(string userName, string password) =>
        Convert.ToBase64String(HMACSHA256.HashData(cacheKeySecret, Encoding.UTF8.GetBytes(userName.ToLowerInvariant() + "\0" + password)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed ({Scheme}): {Reason} for {Who}")]
    private static partial void LogFailure(ILogger logger, string scheme, string reason, string who);

    private sealed record Remembered(Caller Caller, DateTimeOffset Until);
}
