using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Events;

/// <summary>
/// Publishes to the ticket topic. MessageId is the event id, <c>ticket-{id}-{assignmentVersion}</c>, so the
/// topic's duplicate detection absorbs any re-send of the same assignment.
/// </summary>
public sealed class ServiceBusTicketEventPublisher([FromKeyedServices(ServiceBusTicketEventPublisher.SenderKey)] ServiceBusSender sender) : ITicketEventPublisher
{
    /// <summary>The key of the ticket topic's sender among the app's services (the presence topic's sender is unkeyed).</summary>
    public const string SenderKey = "tickets";

    /// <summary>Small events (under 1 KB each) in sends of at most this many stay far below Service Bus's 256 KB batch limit.</summary>
    public const int MessagesPerSend = 50;

    public async Task PublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var chunk in events.Chunk(MessagesPerSend))
        {
            await sender.SendMessagesAsync(chunk.Select(ToMessage), cancellationToken).ConfigureAwait(false);
        }
    }

    public static ServiceBusMessage ToMessage(TicketOutboxEvent outboxEvent)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        return CloudEventMessage.Create(
            outboxEvent.Body,
            outboxEvent.EventId,
            TicketAssignedEvent.Subject(outboxEvent.TicketId),
            TicketAssignedEvent.ContentType,
            [
                new("ticketId", outboxEvent.TicketId),
                new("categoryId", outboxEvent.CategoryId),
                new("ownerId", outboxEvent.OwnerId),
                new("assignmentVersion", outboxEvent.AssignmentVersion),
            ],
            outboxEvent.TraceParent);
    }
}
