using System.Collections.Concurrent;

namespace PresenceFunctions.Auth;

/// <summary>
/// Concurrent logins with the same name and password share one verification: a client sending Basic on a burst
/// of requests before its credentials are remembered costs one PBKDF2 run and one place in the throttle's queue,
/// not one each (which filled the queue and answered the rest 503).
/// </summary>
/// <remarks>
/// Keyed by <see cref="VerifiedCredentialCache.KeyOf"/> (an HMAC, no password is held). An entry lives only while
/// its verification runs, and a verification either holds or waits for one of the throttle's slots or is refused at
/// once, so the entries are bounded by the throttle's slots and queue, not by callers.
/// </remarks>
public sealed class LoginsInFlight
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LoginOutcome>>> running = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="verify"/> unless the same credentials are already being verified, and shares its outcome.</summary>
    public Task<LoginOutcome> ShareAsync(string key, Func<Task<LoginOutcome>> verify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verify);
        Lazy<Task<LoginOutcome>>? entry = null;
        entry = new Lazy<Task<LoginOutcome>>(() => RunThenForgetAsync(new(key, entry!), verify));
        return running.GetOrAdd(key, entry).Value.WaitAsync(cancellationToken);
    }

    private async Task<LoginOutcome> RunThenForgetAsync(KeyValuePair<string, Lazy<Task<LoginOutcome>>> entry, Func<Task<LoginOutcome>> verify)
    {
        try
        {
            return await verify().ConfigureAwait(false);
        }
        finally
        {
            running.TryRemove(entry);
        }
    }
}

/// <summary>What one verification found, for every request that shared it: the caller, or why not.</summary>
public sealed record LoginOutcome(Caller? Caller, AuthRefusal? Refusal);
