namespace PresenceFunctions.Tickets;

/// <summary>Hands committed assignment events to their transport (topic <c>%TicketTopic%</c>). Returns only once the transport has accepted them all.</summary>
public interface ITicketEventPublisher
{
    Task PublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken);
}
