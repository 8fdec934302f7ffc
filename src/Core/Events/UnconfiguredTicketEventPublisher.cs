using PresenceFunctions.Tickets;

namespace PresenceFunctions.Events;

/// <summary>Stands in when no ServiceBusConnection is set: assignment events stay safely in the outbox until one is.</summary>
public sealed class UnconfiguredTicketEventPublisher : ITicketEventPublisher
{
    public Task PublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            "ServiceBusConnection is not configured: the assignment events stay in the outbox until a publisher is.");
}
