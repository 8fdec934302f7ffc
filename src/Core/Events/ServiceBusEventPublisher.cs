using Azure.Messaging.ServiceBus;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Events;

/// <summary>
/// Publishes to the presence topic. MessageId is the event id, <c>presence-{associateId}-{version}</c>,
/// so the topic's duplicate detection absorbs any re-send of the same change.
/// </summary>
public sealed class ServiceBusEventPublisher(ServiceBusSender sender) : IPresenceEventPublisher
{
    public Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken) =>
        sender.SendMessageAsync(ToMessage(outboxEvent), cancellationToken);

    public static ServiceBusMessage ToMessage(OutboxEvent outboxEvent)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        return CloudEventMessage.Create(
            outboxEvent.Body,
            outboxEvent.EventId,
            PresenceChangedEvent.Subject(outboxEvent.AssociateId),
            PresenceChangedEvent.ContentType,
            [new("associateId", outboxEvent.AssociateId), new("status", outboxEvent.Status), new("version", outboxEvent.Version)],
            outboxEvent.TraceParent);
    }
}
