using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Serve;

/// <summary>Publishes through the real publisher, then appends the events to the events file in order; a failed publish writes nothing (the relay re-sends them).</summary>
public sealed class EventsFileTicketPublisher(ITicketEventPublisher inner, EventsFile file) : ITicketEventPublisher
{
    public async Task PublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        await inner.PublishAsync(events, cancellationToken).ConfigureAwait(false);
        foreach (var outboxEvent in events)
        {
            await file.AppendAsync(outboxEvent.Body).ConfigureAwait(false);
        }
    }
}
