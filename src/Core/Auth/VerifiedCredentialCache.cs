using System.Buffers;
using System.Runtime.InteropServices;
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
    private const int StackChars = 256;
    private const int StackBytes = 3 * (StackChars + 1);

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
        cache.TryGetValue(Key(userName, password), out Remembered? remembered) && remembered!.Until > time.GetUtcNow() ? remembered.Caller : null;

    public void Remember(string userName, string password, Caller caller)
    {
        if (lifetime > TimeSpan.Zero)
        {
            cache.Set(Key(userName, password), new Remembered(caller, time.GetUtcNow() + lifetime), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        }
    }

    public void Dispose() => cache.Dispose();

    /// <summary>
    /// HMAC of the lower-cased name, NUL and the password in UTF-8, built in buffers rather than as three strings and two
    /// arrays: this runs on every Basic request. The buffers hold the password, so they are cleared after use.
    /// </summary>
    private string Key(string userName, string password)
    {
        var charCount = userName.Length + 1 + password.Length;
        var rentedChars = charCount > StackChars ? ArrayPool<char>.Shared.Rent(charCount) : null;
        var chars = (rentedChars ?? stackalloc char[StackChars])[..charCount];
        var byteCount = Encoding.UTF8.GetMaxByteCount(charCount);
        var rentedBytes = byteCount > StackBytes ? ArrayPool<byte>.Shared.Rent(byteCount) : null;
        var bytes = rentedBytes ?? stackalloc byte[StackBytes];
        try
        {
            userName.AsSpan().ToLowerInvariant(chars);
            chars[userName.Length] = '\0';
            password.AsSpan().CopyTo(chars[(userName.Length + 1)..]);
            var written = Encoding.UTF8.GetBytes(chars, bytes);
            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(keySecret, bytes[..written], hash);
            return Convert.ToBase64String(hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars));
            CryptographicOperations.ZeroMemory(bytes);
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }
        }
    }

    private sealed record Remembered(Caller Caller, DateTimeOffset Until);
}
