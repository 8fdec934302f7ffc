using Microsoft.Extensions.Logging;

namespace PresenceFunctions.Tickets;

/// <summary>Hands committed events to the publisher, best effort: whatever fails stays in the outbox for the relay, and the change stands.</summary>
public sealed partial class TicketEvents(ITicketChangePublisher publisher, ILogger<TicketEvents> logger)
{
    public async Task PublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await publisher.TryPublishAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The change committed with its events; the caller is told it happened, the relay sends them.
            LogPublishFailed(logger, e, events.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} ticket events failed; they stay in the outbox for the relay")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int count);
}
