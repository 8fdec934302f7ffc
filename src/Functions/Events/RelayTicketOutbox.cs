using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Events;

namespace PresenceFunctions.Functions.Events;

/// <summary>Publishes assignment events a change could not (Service Bus down, or the process died between commit and publish).</summary>
public sealed class RelayTicketOutbox(TicketOutboxRelay relay)
{
    [Function(nameof(RelayTicketOutbox))]
    public Task Run([TimerTrigger(TicketOutboxRelay.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        relay.RelayAsync(cancellationToken);
}
