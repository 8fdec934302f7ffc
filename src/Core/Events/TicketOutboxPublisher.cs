using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Observability;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Events;

/// <summary>
/// Sends a commit's assignment events once they sit in the outbox, then removes their rows in one transaction per
/// category. Rows that stay (send failed, or the process died first) are the ticket relay's to send later under the
/// same MessageIds, so nothing is lost and duplicates are absorbed.
/// </summary>
public sealed partial class TicketOutboxPublisher(
    ITicketEventPublisher publisher,
    StorageTables tables,
    IOptions<OutboxOptions> options,
    ILogger<TicketOutboxPublisher> logger) : ITicketChangePublisher
{
    /// <summary>After a commit, where no dispatch queue runs (the operator verbs): sends, then removes the rows. Best effort, because the moves are already safe and the relay guarantees delivery.</summary>
    public Task<bool> TryPublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken) =>
        TryAsync(events, PublishAndClearAsync, cancellationToken);

    /// <summary>Sends only; the dispatch queue hands the rows to <see cref="OutboxCleanup"/> afterwards.</summary>
    public Task<bool> TrySendAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken) =>
        TryAsync(events, SendAsync, cancellationToken);

    /// <summary>Publishes, then deletes the rows in one transaction per category; either step failing throws and leaves rows for the relay.</summary>
    public async Task PublishAndClearAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        await SendAsync(events, cancellationToken).ConfigureAwait(false);
        await tables.RunAsync(
            tables.Names.Tickets,
            async table =>
            {
                foreach (var category in events.GroupBy(e => e.CategoryId))
                {
                    await OutboxRowDeletes.DeleteAsync(table, TicketRows.CategoryPartition(category.Key), [.. category.Select(e => e.RowKey)], cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The outbox rows of sent events, for <see cref="OutboxCleanup"/>.</summary>
    public IEnumerable<OutboxRow> RowsOf(IReadOnlyList<TicketOutboxEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Select(e => new OutboxRow(tables.Names.Tickets, TicketRows.CategoryPartition(e.CategoryId), e.RowKey));
    }

    /// <summary>Hands a commit's events to the transport; throws when they are refused.</summary>
    public async Task SendAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        // The events of one commit share the cause, so one span continues its trace and every message carries it.
        using var activity = PresenceTracing.StartContinuation("PublishTicketAssigned", ActivityKind.Producer, events[0].TraceParent);
        activity?.SetTag("tickets.event_count", events.Count);
        activity?.SetTag("tickets.first_event_id", events[0].EventId);
        var traced = activity is { IdFormat: ActivityIdFormat.W3C }
            ? [.. events.Select(e => e with { TraceParent = activity.Id })]
            : events;
        try
        {
            await publisher.PublishAsync(traced, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }

        PresenceMetrics.AssignmentEventsPublished.Add(events.Count);
        LogPublished(logger, events.Count, events[0].EventId);
    }

    private async Task<bool> TryAsync(IReadOnlyList<TicketOutboxEvent> events, Func<IReadOnlyList<TicketOutboxEvent>, CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return true;
        }

        if (await BoundedSend.TryAsync(ct => step(events, ct), options.Value.PublishTimeoutSeconds, cancellationToken).ConfigureAwait(false) is not { } e)
        {
            return true;
        }

        // Not swallowed: the rows are the record, and the relay retries them.
        LogLeftInOutbox(logger, events.Count, events[0].EventId, e.GetType().Name, e.Message);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} ticket assignment events, first {EventId}")]
    private static partial void LogPublished(ILogger logger, int count, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} ticket assignment events, first {EventId}, stay in the outbox for the relay: {Failure} {Reason}")]
    private static partial void LogLeftInOutbox(ILogger logger, int count, string eventId, string failure, string reason);
}
