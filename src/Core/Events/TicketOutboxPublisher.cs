using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
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
    /// <summary>After a commit, off the response path: best effort, because the moves are already safe and the relay guarantees delivery.</summary>
    public async Task<bool> TryPublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return true;
        }

        // Called after the answer (EventDispatchQueue), so the token is the host stopping, never a caller hanging up.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds));
        try
        {
            await PublishAndClearAsync(events, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not swallowed: the rows are the record, and the relay retries them.
            LogLeftInOutbox(logger, events.Count, events[0].EventId, e.GetType().Name, e.Message);
            return false;
        }
    }

    /// <summary>Publishes, then deletes the rows; either step failing throws and leaves rows for the relay.</summary>
    public async Task PublishAndClearAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
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
        await tables.RunAsync(tables.Names.Tickets, table => ClearAsync(table, events, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> ClearAsync(TableClient table, IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        foreach (var category in events.GroupBy(e => e.CategoryId))
        {
            var partition = TicketRows.CategoryPartition(category.Key);
            foreach (var chunk in category.DistinctBy(e => e.RowKey).Chunk(EntityGroupTransaction.MaxOperations))
            {
                try
                {
                    await EntityGroupTransaction.SubmitAsync(
                        table,
                        [.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, e.RowKey), ETag.All))],
                        cancellationToken).ConfigureAwait(false);
                }
                catch (TableTransactionFailedException e) when (e.Status == 404)
                {
                    // The relay sent and removed some of them first; remove the rest one by one.
                    foreach (var outboxEvent in chunk)
                    {
                        using var response = await table.DeleteEntityAsync(partition, outboxEvent.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} ticket assignment events, first {EventId}")]
    private static partial void LogPublished(ILogger logger, int count, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} ticket assignment events, first {EventId}, stay in the outbox for the relay: {Failure} {Reason}")]
    private static partial void LogLeftInOutbox(ILogger logger, int count, string eventId, string failure, string reason);
}
