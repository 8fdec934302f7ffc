namespace PresenceFunctions.Presence;

/// <summary>Hands a committed event to its transport. Returns only once the transport has accepted it.</summary>
public interface IPresenceEventPublisher
{
    Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken);
}
