using System.Diagnostics;
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
    /// <summary>After a commit, where no dispatch queue runs (the operator verbs): sends, then removes the row. Best effort, because the change is already safe and the relay guarantees delivery.</summary>
    /// <returns>Whether the event went out and its row is gone.</returns>
    public Task<bool> TryPublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken) =>
        TryAsync(outboxEvent, PublishAndClearAsync, cancellationToken);

    /// <summary>Sends only; the dispatch queue hands the row to <see cref="OutboxCleanup"/> afterwards.</summary>
    /// <returns>Whether the transport accepted the event.</returns>
    public Task<bool> TrySendAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken) =>
        TryAsync(outboxEvent, SendAsync, cancellationToken);

    /// <summary>Publishes, then deletes the row; either step failing throws and leaves the row for the relay.</summary>
    public async Task PublishAndClearAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        await SendAsync(outboxEvent, cancellationToken).ConfigureAwait(false);
        await tables.RunAsync(
            tables.Names.Presence,
            table => OutboxRowDeletes.DeleteAsync(table, PresenceRows.Partition(outboxEvent.AssociateId), [RowOf(outboxEvent)], cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The outbox row of a sent event, for <see cref="OutboxCleanup"/>.</summary>
    public OutboxRow RowOf(OutboxEvent outboxEvent)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        return new(tables.Names.Presence, PresenceRows.Partition(outboxEvent.AssociateId), outboxEvent.RowKey, outboxEvent.RowTag, outboxEvent.Version);
    }

    /// <summary>Hands the event to the transport; throws when it is refused.</summary>
    public async Task SendAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
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
    }

    private async Task<bool> TryAsync(OutboxEvent outboxEvent, Func<OutboxEvent, CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);

        if (await BoundedSend.TryAsync(ct => step(outboxEvent, ct), options.Value.PublishTimeoutSeconds, cancellationToken).ConfigureAwait(false) is not { } e)
        {
            return true;
        }

        // Not swallowed: the row is the record, and the relay retries it. The answer to the caller stays 200.
        LogLeftInOutbox(logger, outboxEvent.EventId, outboxEvent.AssociateId, outboxEvent.Version, e.GetType().Name, e.Message);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} for {AssociateId} (version {Version})")]
    private static partial void LogPublished(ILogger logger, string eventId, int associateId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} for {AssociateId} (version {Version}) stays in the outbox for the relay: {Failure} {Reason}")]
    private static partial void LogLeftInOutbox(ILogger logger, string eventId, int associateId, long version, string failure, string reason);
}
