using PresenceFunctions.Presence;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>Sees each presence event the in-process subscription accepts, before the rebalancer acts on it (serve --events).</summary>
public interface IAcceptedEvents
{
    Task AcceptedAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken);
}
