namespace PresenceFunctions.Tickets;

/// <summary>Sends a committed change's assignment events right after the commit (Events/TicketOutboxPublisher); the ticket outbox relay is the guarantee.</summary>
public interface ITicketChangePublisher
{
    /// <summary>False when they could not all be sent now: what was not sent stays in the outbox for the relay.</summary>
    Task<bool> TryPublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken);
}
