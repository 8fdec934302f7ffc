using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Observability;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Auth;

/// <summary>
/// <c>Authorization: Basic base64(user:password)</c> against users with PBKDF2 hashes. A verified credential
/// is remembered for a short while under an HMAC of it, so clients sending Basic on every request do not
/// pay PBKDF2 every time; failures are never remembered. Failures are throttled (<see cref="LoginThrottle"/>)
/// and hashes made with fewer iterations than configured are upgraded on the next successful login.
/// </summary>
public sealed partial class BasicAuthenticator : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly CredentialStore store;
    private readonly IPasswordHasher<UserEntity> hasher;
    private readonly LoginThrottle throttle;
    private readonly UserNameLogHash logHash;
    private readonly TimeProvider time;
    private readonly ILogger<BasicAuthenticator> logger;
    private readonly TimeSpan lifetime;
    private readonly MemoryCache cache;
    private readonly byte[] cacheKeySecret = RandomNumberGenerator.GetBytes(32);
    private readonly Lazy<string> decoyHash;

    public BasicAuthenticator(
        CredentialStore store,
        IPasswordHasher<UserEntity> hasher,
        LoginThrottle throttle,
        UserNameLogHash logHash,
        IOptions<AuthOptions> options,
        TimeProvider time,
        ILogger<BasicAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.hasher = hasher;
        this.throttle = throttle;
        this.logHash = logHash;
        this.time = time;
        this.logger = logger;
        lifetime = TimeSpan.FromSeconds(Math.Max(0, options.Value.BasicCacheSeconds));
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.BasicCacheSize) });

        // Unknown users are checked against this hash, so they cost the same PBKDF2 run as a wrong password.
        decoyHash = new Lazy<string>(() => hasher.HashPassword(new UserEntity(), Secrets.NewToken()));
    }

    /// <param name="parameter">What follows <c>Basic</c> in the Authorization header.</param>
    /// <param name="clientAddress">Who sent it (<see cref="ClientAddress"/>), for the per-address limit.</param>
    public async ValueTask<Caller> AuthenticateAsync(string parameter, string clientAddress, CancellationToken cancellationToken)
    {
        if (!TryDecode(parameter, out var userName, out var password))
        {
            LogFailure(logger, "Basic", "malformed credentials", "-");
            throw AuthFailure.Unauthorized("The Basic credentials are not base64 of user:password.");
        }

        // A credential verified a moment ago is never throttled: the cache answers before any limit is asked.
        var key = CacheKey(userName, password);
        if (TryRemembered(key, out var remembered))
        {
            return remembered;
        }

        EnsureNotThrottled(userName, clientAddress);
        var user = await store.FindUserAsync(userName, cancellationToken).ConfigureAwait(false);
        PasswordVerificationResult verdict;
        string? upgradedHash = null;
        using (await throttle.AcquireVerificationAsync(cancellationToken).ConfigureAwait(false))
        {
            // Checked again with the slot held, so guesses queued behind it stop once the budget is spent.
            if (TryRemembered(key, out remembered))
            {
                return remembered;
            }

            EnsureNotThrottled(userName, clientAddress);
            verdict = hasher.VerifyHashedPassword(user ?? new UserEntity(), user?.PasswordHash ?? decoyHash.Value, password);
            if (user is not null && verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                upgradedHash = hasher.HashPassword(user, password);
            }
        }

        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            throttle.RecordFailure(userName, clientAddress);
            LogFailure(logger, "Basic", user is null ? "unknown user" : "wrong password", logHash.Of(userName));
            throw AuthFailure.Unauthorized("Unknown user name or wrong password.");
        }

        if (upgradedHash is not null)
        {
            await UpgradeHashAsync(user, upgradedHash, cancellationToken).ConfigureAwait(false);
        }

        var caller = new Caller(user.AssociateId, user.IsAdministrator, "Basic", user.UserName);
        if (lifetime > TimeSpan.Zero)
        {
            cache.Set(key, new Remembered(caller, time.GetUtcNow() + lifetime), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        }

        return caller;
    }

    private bool TryRemembered(string key, [NotNullWhen(true)] out Caller? caller)
    {
        caller = cache.TryGetValue(key, out Remembered? remembered) && remembered!.Until > time.GetUtcNow() ? remembered.Caller : null;
        return caller is not null;
    }

    private void EnsureNotThrottled(string userName, string clientAddress)
    {
        if (!throttle.IsAllowed(userName, clientAddress, out var retryAfter))
        {
            LogThrottled(logger, logHash.Of(userName), LogText.Safe(clientAddress));
            throw AuthFailure.TooManyAttempts((int)Math.Ceiling(retryAfter.TotalSeconds));
        }
    }

    /// <summary>Stores the stronger hash; best effort, since the login itself has succeeded and the next one tries again.</summary>
    private async Task UpgradeHashAsync(UserEntity user, string upgradedHash, CancellationToken cancellationToken)
    {
        try
        {
            await store.UpgradePasswordHashAsync(user, upgradedHash, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e))
        {
            LogUpgradeFailed(logger, e.GetType().Name);
        }
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

    /// <summary><paramref name="who"/> is <see cref="UserNameLogHash"/>'s hash, never the name: people type passwords there.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed ({Scheme}): {Reason} for {Who}")]
    private static partial void LogFailure(ILogger logger, string scheme, string reason, string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login throttled for {Who} from {ClientAddress}")]
    private static partial void LogThrottled(ILogger logger, string who, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store an upgraded password hash ({Failure}); the next login tries again")]
    private static partial void LogUpgradeFailed(ILogger logger, string failure);

    private sealed record Remembered(Caller Caller, DateTimeOffset Until);
}
