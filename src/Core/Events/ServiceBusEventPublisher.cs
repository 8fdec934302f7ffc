using Azure.Messaging.ServiceBus;
using PresenceFunctions.Observability;
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
        var message = new ServiceBusMessage(BinaryData.FromString(outboxEvent.Body))
        {
            MessageId = outboxEvent.EventId,
            Subject = PresenceChangedEvent.Subject(outboxEvent.AssociateId),
            ContentType = PresenceChangedEvent.ContentType,
            ApplicationProperties =
            {
                ["associateId"] = outboxEvent.AssociateId,
                ["status"] = outboxEvent.Status,
                ["version"] = outboxEvent.Version,
            },
        };

        // The Service Bus SDK keeps a Diagnostic-Id it finds, so the trace continues from the request, not the relay.
        if (outboxEvent.TraceParent is { } traceParent)
        {
            message.ApplicationProperties[PresenceTracing.DiagnosticIdProperty] = traceParent;
            message.ApplicationProperties[PresenceTracing.TraceParentProperty] = traceParent;
        }

        return message;
    }

}
