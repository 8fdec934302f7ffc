using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Functions.Presence;

/// <summary>Reverts presences whose expiry has passed (set with <c>expiresIn</c>), reading only the due minutes of the expiry index.</summary>
public sealed class ExpirePresence(PresenceExpirySweep sweep)
{
    [Function(nameof(ExpirePresence))]
    public Task Run([TimerTrigger(PresenceExpirySweep.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        sweep.SweepAsync(cancellationToken);
}
