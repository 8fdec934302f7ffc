using PresenceFunctions.Storage;

namespace PresenceFunctions.Events;

/// <summary>Hands a committed event to its transport. Returns only once the transport has accepted it.</summary>
public interface IPresenceEventPublisher
{
    Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken);
}
