using PresenceFunctions.Cli.Hosting;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Cli.Serve;

/// <summary>Publishes through the real publisher, then appends the event to the events file; a failed publish writes nothing (the relay re-sends it).</summary>
public sealed class EventsFilePresencePublisher(IPresenceEventPublisher inner, EventsFile file) : IPresenceEventPublisher
{
    public async Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        await inner.PublishAsync(outboxEvent, cancellationToken).ConfigureAwait(false);
        await file.AppendAsync(outboxEvent.Body).ConfigureAwait(false);
    }

    /// <summary>In-process delivery: appends each event as the subscription accepts it, before its pass can start.</summary>
    public sealed class Recorder(EventsFile file) : IAcceptedEvents
    {
        public Task AcceptedAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(outboxEvent);
            return file.AppendAsync(outboxEvent.Body);
        }
    }
}
