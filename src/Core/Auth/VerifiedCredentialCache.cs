using System.Buffers;
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

    /// <summary>
    /// One keyed HMAC per thread, reset after each use: a one-shot HMAC fetches the algorithm from OpenSSL on every call,
    /// which measured 1.8 µs per request. Not tracked: a thread's HMAC is finalized with it.
    /// </summary>
    private readonly ThreadLocal<IncrementalHash> hmacs;

    public VerifiedCredentialCache(IOptions<AuthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.time = time;
        lifetime = TimeSpan.FromSeconds(Math.Max(0, options.Value.BasicCacheSeconds));
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.BasicCacheSize) });
        hmacs = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keySecret));
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

    public void Dispose()
    {
        cache.Dispose();
        hmacs.Dispose();
    }

    /// <summary>
    /// The credentials' identity without the password: an HMAC under this process's key of the UTF-8 of the lower-case
    /// name, NUL and the password, encoded on the stack (pooled when long) and wiped after.
    /// </summary>
    public string KeyOf(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        const int StackBytes = 256;
        var lowered = userName.ToLowerInvariant();
        var maxBytes = Encoding.UTF8.GetMaxByteCount(lowered.Length + 1 + password.Length);
        byte[]? rented = null;
        var input = maxBytes <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        var written = 0;
        try
        {
            written = Encoding.UTF8.GetBytes(lowered, input);
            input[written++] = 0;
            written += Encoding.UTF8.GetBytes(password, input[written..]);
            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            var hmac = hmacs.Value!;
            try
            {
                hmac.AppendData(input[..written]);
                hmac.GetHashAndReset(hash);
            }
            catch
            {
                // Data appended but not hashed would prefix the thread's next key: start that thread afresh.
                hmacs.Value = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keySecret);
                hmac.Dispose();
                throw;
            }

            return Convert.ToBase64String(hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input[..written]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private sealed record Remembered(Caller Caller, DateTimeOffset Until);
}
