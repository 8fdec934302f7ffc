using PresenceFunctions.Presence;

namespace PresenceFunctions.Events;

/// <summary>Stands in when no ServiceBusConnection is set: events stay safely in the outbox until one is.</summary>
public sealed class UnconfiguredEventPublisher : IPresenceEventPublisher
{
    public Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            "ServiceBusConnection is not configured: the event stays in the outbox until a publisher is.");
}
