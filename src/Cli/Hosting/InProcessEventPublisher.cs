using PresenceFunctions.Presence;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// Without Service Bus, <c>presence serve</c> publishes an event by handing it to <see cref="InProcessSubscription"/>, as
/// Service Bus accepts a message before any subscriber runs: publishing returns once the event is accepted, and the
/// rebalance pass runs later, in the background.
/// </summary>
public sealed class InProcessEventPublisher(InProcessSubscription subscription) : IPresenceEventPublisher
{
    public Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken) =>
        subscription.AcceptAsync(outboxEvent, cancellationToken);
}
