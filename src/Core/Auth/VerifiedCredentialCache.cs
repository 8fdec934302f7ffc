using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Auth;

/// <summary>
/// Basic credentials verified a moment ago, so clients sending Basic on every request do not pay PBKDF2 every
/// time. Keyed by an HMAC of name and password under a per-process key (no password is held); bounded in
/// size; an entry lives <see cref="AuthOptions.BasicCacheSeconds"/>, so a changed password takes effect
/// within that. Failures are never remembered.
/// </summary>
public sealed class VerifiedCredentialCache : IDisposable
{
    private readonly MemoryCache cache;
    private readonly byte[] keySecret = RandomNumberGenerator.GetBytes(32);
    private readonly TimeSpan lifetime;
    private readonly TimeProvider time;

    public VerifiedCredentialCache(IOptions<AuthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.time = time;
        lifetime = TimeSpan.FromSeconds(Math.Max(0, options.Value.BasicCacheSeconds));
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.BasicCacheSize) });
    }

    public Caller? Find(string userName, string password) =>
        cache.TryGetValue(KeyOf(userName, password), out Remembered? remembered) && remembered!.Until > time.GetUtcNow() ? remembered.Caller : null;

    public void Remember(string userName, string password, Caller caller)
    {
        if (lifetime > TimeSpan.Zero)
        {
            cache.Set(KeyOf(userName, password), new Remembered(caller, time.GetUtcNow() + lifetime), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        }
    }

    public void Dispose() => cache.Dispose();

    /// <summary>The credentials' identity without the password: an HMAC under this process's key.</summary>
    public string KeyOf(string userName, string password) =>
        Convert.ToBase64String(HMACSHA256.HashData(keySecret, Encoding.UTF8.GetBytes(userName.ToLowerInvariant() + "\0" + password)));

    private sealed record Remembered(Caller Caller, DateTimeOffset Until);
}
