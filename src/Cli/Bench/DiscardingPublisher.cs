using PresenceFunctions.Presence;

namespace PresenceFunctions.Cli.Bench;

/// <summary>
/// For the benchmark only: accepts every event at once, as a healthy Service Bus would, so the Set path
/// (commit, publish, outbox clean-up) is measured without a rebalance pass running inside each request.
/// </summary>
public sealed class DiscardingPublisher : IPresenceEventPublisher
{
    public Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}
