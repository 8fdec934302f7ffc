using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Events;

namespace PresenceFunctions.Functions.Events;

/// <summary>Publishes events a Set could not (Service Bus down, or the process died between commit and publish).</summary>
public sealed class RelayPresenceOutbox(OutboxRelay relay)
{
    [Function(nameof(RelayPresenceOutbox))]
    public Task Run([TimerTrigger(OutboxRelay.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        relay.RelayAsync(cancellationToken);
}
