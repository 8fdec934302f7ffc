using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Observability;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Events;

/// <summary>
/// Sends an event once it sits in the outbox, and removes its row only after the transport accepted it.
/// A row that stays (send failed, or the process died first) is the relay's to send later under the
/// same MessageId, so nothing is lost and duplicates are absorbed.
/// </summary>
public sealed partial class OutboxPublisher(
    IPresenceEventPublisher publisher,
    StorageTables tables,
    IOptions<OutboxOptions> options,
    ILogger<OutboxPublisher> logger) : IPresenceChangePublisher
{
    /// <summary>After a commit, off the response path: best effort, because the change is already safe and the relay guarantees delivery.</summary>
    /// <returns>Whether the event went out and its row is gone.</returns>
    public async Task<bool> TryPublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);

        // Called after the answer (EventDispatchQueue), so the token is the host stopping, never a caller hanging up.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds));
        try
        {
            await PublishAndClearAsync(outboxEvent, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not swallowed: the row is the record, and the relay retries it. The answer to the caller stays 200.
            LogLeftInOutbox(logger, outboxEvent.EventId, outboxEvent.AssociateId, outboxEvent.Version, e.GetType().Name, e.Message);
            return false;
        }
    }

    /// <summary>Publishes, then deletes the row; either step failing throws and leaves the row for the relay.</summary>
    public async Task PublishAndClearAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);

        // The span continues the trace stored in the row, so it joins the request's trace however late the
        // row is sent; the message then carries this span, and the rebalance pass becomes its child.
        using var activity = PresenceTracing.StartContinuation("PublishPresenceChanged", ActivityKind.Producer, outboxEvent.TraceParent);
        activity?.SetTag("presence.associate_id", outboxEvent.AssociateId);
        activity?.SetTag("presence.event_id", outboxEvent.EventId);
        activity?.SetTag("presence.version", outboxEvent.Version);
        var traced = activity is { IdFormat: ActivityIdFormat.W3C } ? outboxEvent with { TraceParent = activity.Id } : outboxEvent;
        try
        {
            await publisher.PublishAsync(traced, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }

        PresenceMetrics.EventsPublished.Add(1);
        LogPublished(logger, outboxEvent.EventId, outboxEvent.AssociateId, outboxEvent.Version);
        var table = await tables.PresenceAsync(cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(PresenceRows.Partition(outboxEvent.AssociateId), outboxEvent.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} for {AssociateId} (version {Version})")]
    private static partial void LogPublished(ILogger logger, string eventId, int associateId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} for {AssociateId} (version {Version}) stays in the outbox for the relay: {Failure} {Reason}")]
    private static partial void LogLeftInOutbox(ILogger logger, string eventId, int associateId, long version, string failure, string reason);
}
