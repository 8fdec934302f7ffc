using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Auth;

/// <summary>
/// Guards password verification: failed logins are limited per user name and per client address, and
/// concurrent PBKDF2 runs are capped at the core count with a bounded queue. Only failures consume budget:
/// a caller is refused (before PBKDF2) once its name or address has used its failures for the window.
/// </summary>
/// <remarks>
/// Names and addresses are caller input, so they are hashed (with the process's randomized string hash)
/// into <see cref="Buckets"/> buckets, and the partitioned limiter is keyed by bucket: at most that many
/// limiters can ever exist, and idle ones are dropped by the limiter itself. A collision only shares a
/// budget, and failures are themselves slowed by PBKDF2 and the address limit, so sharing stays rare.
/// </remarks>
public sealed class LoginThrottle : IDisposable
{
    /// <summary>Buckets per dimension: a few MB at most, even if every bucket is busy at once.</summary>
    public const int Buckets = 16_384;

    private readonly PartitionedRateLimiter<int> names;
    private readonly PartitionedRateLimiter<int> addresses;
    private readonly ConcurrencyLimiter verifications;

    public LoginThrottle(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var auth = options.Value;
        var window = TimeSpan.FromSeconds(Math.Max(1, auth.FailedLoginWindowSeconds));
        names = Partitioned(Math.Max(1, auth.FailedLoginsPerName), window);
        addresses = Partitioned(Math.Max(1, auth.FailedLoginsPerAddress), window);
        verifications = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Environment.ProcessorCount,
            QueueLimit = Math.Max(0, auth.PasswordQueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Whether the name and the address both have failures left in this window. Consumes nothing.</summary>
    /// <param name="retryAfter">When refused: how long until the window that refused is over.</param>
    public bool IsAllowed(string userName, string clientAddress, out TimeSpan retryAfter) =>
        IsAllowed(names, NameBucket(userName), out retryAfter) && IsAllowed(addresses, AddressBucket(clientAddress), out retryAfter);

    /// <summary>Counts one failed login against the name and the address.</summary>
    public void RecordFailure(string userName, string clientAddress)
    {
        // A lease from a window limiter holds nothing: disposing it returns no permit.
        names.AttemptAcquire(NameBucket(userName)).Dispose();
        addresses.AttemptAcquire(AddressBucket(clientAddress)).Dispose();
    }

    /// <summary>Waits for one of the PBKDF2 slots; null when every slot is taken and the queue is full.</summary>
    public async ValueTask<IDisposable?> AcquireVerificationAsync(CancellationToken cancellationToken)
    {
        var lease = await verifications.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return null;
        }

        return lease;
    }

    public void Dispose()
    {
        names.Dispose();
        addresses.Dispose();
        verifications.Dispose();
    }

    private static bool IsAllowed(PartitionedRateLimiter<int> limiter, int bucket, out TimeSpan retryAfter)
    {
        // Zero permits asks "any left?" without taking one.
        using var probe = limiter.AttemptAcquire(bucket, 0);
        retryAfter = probe.IsAcquired ? TimeSpan.Zero
            : probe.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after
            : TimeSpan.FromMinutes(1);
        return probe.IsAcquired;
    }

    // User names compare case-insensitively (CredentialStore), so their budget does too.
    private static int NameBucket(string userName) => Bucket(userName.ToLowerInvariant());

    private static int AddressBucket(string clientAddress) => Bucket(clientAddress);

    private static int Bucket(string key) => (int)((uint)string.GetHashCode(key, StringComparison.Ordinal) % Buckets);

    private static PartitionedRateLimiter<int> Partitioned(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<int, int>(bucket => RateLimitPartition.GetFixedWindowLimiter(bucket, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,

            // The partitioned limiter replenishes on its own timer; one timer per bucket would cost more.
            AutoReplenishment = false,
        }));
}
