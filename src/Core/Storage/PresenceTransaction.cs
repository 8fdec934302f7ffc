using System.Text;
using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Storage;

/// <summary>
/// What one change writes in the associate's partition: the status row (If-Match on the ETag read), a history row and,
/// with an event, its outbox row (new, or a sent row taken over). Shared by <see cref="PresenceStore"/> and the benchmark's
/// raw workloads, so the baselines send exactly the transactions the Sets send.
/// </summary>
public static class PresenceTransaction
{
    /// <summary>The status row as stored for <paramref name="state"/>.</summary>
    public static PresenceStatusEntity StatusRow(PresenceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ToEntity(PresenceRows.Partition(state.AssociateId), PresenceRows.Status, state, previousStatus: null);
    }

    /// <summary>The change's actions: the status row (Add when none was read), the history row, and the outbox row when there is an event.</summary>
    /// <param name="takenOverTag">
    /// The ETag of the sent row under <paramref name="outbox"/>'s key when the event takes that row over instead of adding
    /// its own (<see cref="FoldedRows"/>): the row is then merged, If-Match on that tag, with every property written.
    /// </param>
    public static List<TableTransactionAction> Actions(PresenceSnapshot current, PresenceState next, OutboxEvent? outbox, string? takenOverTag = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        var partition = PresenceRows.Partition(next.AssociateId);
        var status = ToEntity(partition, PresenceRows.Status, next, previousStatus: null);
        List<TableTransactionAction> actions =
        [
            current.ETag is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, status, etag)
                : new TableTransactionAction(TableTransactionActionType.Add, status),
            new(TableTransactionActionType.Add, ToEntity(partition, PresenceRows.History(next.Version), next, current.State.Status)),
        ];
        if (outbox is not null)
        {
            var row = new OutboxEntity
            {
                PartitionKey = partition,
                RowKey = outbox.RowKey,
                EventId = outbox.EventId,
                AssociateId = outbox.AssociateId,
                Version = outbox.Version,
                Status = outbox.Status,
                CloudEvent = outbox.Body,
                CreatedAt = next.ChangedAt!.Value,
                TraceParent = outbox.TraceParent,
            };

            // A merge writes only the properties sent, and a null one is not sent: "" clears the earlier event's trace
            // parent. Merge rather than Replace: the same one write on Table Storage, but Azurite runs a Replace as a
            // delete and an insert, walking and shifting its indices, where a merge walks them once (docs/performance.md).
            actions.Add(takenOverTag is null
                ? new(TableTransactionActionType.Add, row)
                : new(TableTransactionActionType.UpdateMerge, WithTraceParentCleared(row), new ETag(takenOverTag)));
        }

        return actions;
    }

    private static OutboxEntity WithTraceParentCleared(OutboxEntity row)
    {
        row.TraceParent ??= "";
        return row;
    }

    /// <summary>The <c>presence-changed</c> event of the change from <paramref name="previous"/> to <paramref name="next"/>, as its outbox row holds it.</summary>
    public static OutboxEvent EventOf(PresenceState previous, PresenceState next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var data = new PresenceChangedData(
            next.AssociateId,
            next.Status.ToName(),
            previous.Status.ToName(),
            next.Message,
            next.Version,
            next.ChangedAt!.Value,
            next.ChangedBy ?? 0);
        var cloudEvent = PresenceChangedEvent.Create(data);
        return new OutboxEvent(
            next.AssociateId,
            next.Version,
            data.Status,
            cloudEvent.Id!,
            PresenceRows.Outbox(next.Version),
            Encoding.UTF8.GetString(PresenceChangedEvent.Encode(cloudEvent)));
    }


    private static PresenceStatusEntity ToEntity(string partition, string rowKey, PresenceState state, UserStatus? previousStatus) => new()
    {
        PartitionKey = partition,
        RowKey = rowKey,
        Status = state.Status.ToName(),
        Message = state.Message,
        Version = state.Version,
        ChangedAt = state.ChangedAt!.Value,
        ChangedBy = state.ChangedBy ?? 0,
        PreviousStatus = previousStatus?.ToName(),
        ExpiresAt = state.ExpiresAt,
    };
}
