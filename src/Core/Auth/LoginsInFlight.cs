using System.Collections.Concurrent;

namespace PresenceFunctions.Auth;

/// <summary>
/// Concurrent logins with the same name and password from the same client share one verification: a client sending
/// Basic on a burst of requests before its credentials are remembered costs one PBKDF2 run and one place in the
/// throttle's queue, not one each (which filled the queue and answered the rest 503).
/// </summary>
/// <remarks>
/// The key is <see cref="VerifiedCredentialCache.KeyOf"/> (an HMAC, no password) and the client address, so a shared
/// outcome, throttling included, is exactly what each sharer would have got alone. A verification runs for as long as
/// someone waits for it: when the last waiter's request is aborted it is cancelled (its storage read, its place in
/// the queue) and forgotten, so entries never outnumber the requests waiting, as before sharing.
/// </remarks>
public sealed class LoginsInFlight
{
    private readonly ConcurrentDictionary<string, Flight> running = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="verify"/> unless the same credentials from the same client are being verified, and shares its outcome.</summary>
    public async Task<LoginOutcome> ShareAsync(string key, Func<CancellationToken, Task<LoginOutcome>> verify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verify);
        while (true)
        {
            var flight = running.GetOrAdd(key, static _ => new Flight());
            if (!flight.TryJoin(key, verify, this))
            {
                running.TryRemove(new KeyValuePair<string, Flight>(key, flight)); // closed meanwhile: start a new one
                continue;
            }

            try
            {
                return await flight.Outcome!.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                flight.Leave();
            }
        }
    }

    private void Forget(string key, Flight flight) => running.TryRemove(new KeyValuePair<string, Flight>(key, flight));

    /// <summary>One verification and who waits for it; closed once finished or abandoned, and never joined again.</summary>
    private sealed class Flight : IDisposable
    {
        private readonly Lock gate = new();
        private readonly CancellationTokenSource abandoned = new();
        private int waiters;
        private bool closed;

        public Task<LoginOutcome>? Outcome { get; private set; }

        public bool TryJoin(string key, Func<CancellationToken, Task<LoginOutcome>> verify, LoginsInFlight owner)
        {
            lock (gate)
            {
                if (closed)
                {
                    return false;
                }

                waiters++;
                Outcome ??= RunAsync(key, verify, owner);
                return true;
            }
        }

        public void Leave()
        {
            lock (gate)
            {
                if (--waiters > 0 || closed)
                {
                    return;
                }

                // Nobody waits any more: stop the work nobody will read, and let the next login start afresh.
                closed = true;
                abandoned.Cancel(); // under the lock, so never after Dispose
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                closed = true;
                abandoned.Dispose();
            }
        }

        private async Task<LoginOutcome> RunAsync(string key, Func<CancellationToken, Task<LoginOutcome>> verify, LoginsInFlight owner)
        {
            await Task.Yield(); // run outside the lock taken by TryJoin
            try
            {
                return await verify(abandoned.Token).ConfigureAwait(false);
            }
            finally
            {
                Dispose();
                owner.Forget(key, this);
            }
        }
    }
}

/// <summary>What one verification found, for every request that shared it: the caller, or why not.</summary>
public sealed record LoginOutcome(Caller? Caller, AuthRefusal? Refusal);
