using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Storage;

/// <summary>
/// Reads and changes presence in the Presence table. A change is one entity-group transaction in the
/// associate's partition: the status row (If-Match on its ETag), a history row and an outbox row with
/// the event. The ETag comes from <see cref="PresenceCache"/> when this process knows it, so a change is
/// one round trip; losing the race to another writer (412/409) means re-read and retry, by <see cref="ConflictRetry"/>.
/// </summary>
public sealed partial class PresenceStore(StorageTables tables, AssociateLocks locks, PresenceCache cache, ConflictRetry retry, TimeProvider time, ILogger<PresenceStore> logger)
    : IPresenceStore
{
    /// <summary>Always from storage: another instance may have changed it since this one last looked.</summary>
    public async Task<PresenceState> ReadAsync(int associateId, CancellationToken cancellationToken) =>
        (await tables.RunAsync(tables.Names.Presence, table => ReadFreshAsync(table, associateId, cancellationToken), cancellationToken).ConfigureAwait(false)).State;

    public Task<PresenceCommit> ChangeAsync(int associateId, UserPresenceStatus requested, int changedBy, string? traceParent, CancellationToken cancellationToken) =>
        WriteAsync(associateId, requested, changedBy, withEvent: true, traceParent, cancellationToken);

    /// <summary>
    /// Writes a presence as given, with its history row but no event, so nothing reacts to it
    /// (<c>presence seed</c>). Writes nothing when it is already so.
    /// </summary>
    public async Task<PresenceState> SeedAsync(int associateId, UserPresenceStatus given, CancellationToken cancellationToken) =>
        (await WriteAsync(associateId, given, changedBy: 0, withEvent: false, traceParent: null, cancellationToken).ConfigureAwait(false)).State;

    private async Task<PresenceCommit> WriteAsync(int associateId, UserPresenceStatus requested, int changedBy, bool withEvent, string? traceParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requested);
        using var held = await locks.AcquireAsync(associateId, cancellationToken).ConfigureAwait(false);
        return await tables.RunAsync(
            tables.Names.Presence,
            table => WriteAsync(table, associateId, requested, changedBy, withEvent, traceParent, cancellationToken).AsTask(),
            cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<PresenceCommit> WriteAsync(TableClient table, int associateId, UserPresenceStatus requested, int changedBy, bool withEvent, string? traceParent, CancellationToken cancellationToken) =>
        retry.RunAsync(ct => AttemptAsync(table, associateId, requested, changedBy, withEvent, traceParent, ct), cancellationToken);

    /// <summary>One try: from the cached snapshot when this process has one, else from storage. A lost race throws <see cref="ConcurrencyConflictException"/>.</summary>
    private async ValueTask<PresenceCommit> AttemptAsync(TableClient table, int associateId, UserPresenceStatus requested, int changedBy, bool withEvent, string? traceParent, CancellationToken cancellationToken)
    {
        var cached = cache.Get(associateId);
        var snapshot = cached ?? await ReadFreshAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        if (cached is not null && snapshot.State.Matches(requested))
        {
            // "Nothing to change" is only trusted from storage: another instance may have changed it meanwhile.
            snapshot = await ReadFreshAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        }

        if (snapshot.State.Matches(requested))
        {
            return new PresenceCommit(snapshot.State, null);
        }

        var current = snapshot.State;
        var next = current with
        {
            Status = requested.Status,
            Message = requested.Message,
            Version = current.Version + 1,
            ChangedAt = time.GetUtcNow(),
            ChangedBy = changedBy,
        };
        var outbox = withEvent ? CreateOutboxEvent(current, next) with { TraceParent = traceParent } : null;
        if (snapshot.ETag is null)
        {
            await RegisterAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var response = await EntityGroupTransaction.SubmitAsync(table, ChangeActions(snapshot, next, outbox), cancellationToken).ConfigureAwait(false);
            Remember(next, response.Value[0].Headers.ETag);
            LogChanged(logger, associateId, next.Status, next.Version, outbox?.EventId ?? "none");
            return new PresenceCommit(next, outbox);
        }
        catch (TableTransactionFailedException e) when (IsLostRace(e) || IsRowTaken(e))
        {
            // Another writer got there first, or the cached ETag was stale (404: the row is gone, as when the table
            // was recreated empty): the next attempt re-reads and goes the insert path if need be.
            cache.Forget(associateId);
            if (IsRowTaken(e) && (await ReadFreshAsync(table, associateId, cancellationToken).ConfigureAwait(false)).State.Version < next.Version)
            {
                // A history or outbox row of this version exists. Azure reports a lost race on the status row (action 0),
                // but Azurite interleaves concurrent batches and may report the racer's row first. It was a race when
                // storage now holds this version; otherwise a stray row sits where ours must go, and retrying cannot help.
                throw;
            }

            LogLostRace(logger, associateId);
            throw new ConcurrencyConflictException($"Lost a concurrent-update race for associate {associateId}.", e);
        }
    }

    private static bool IsRowTaken(TableTransactionFailedException e) => e.Status == 409 && e.FailedTransactionActionIndex > 0;

    private static bool IsLostRace(TableTransactionFailedException e) =>
        e.FailedTransactionActionIndex is not > 0 && (e.Status is 409 or 412 || (e.Status == 404 && !StorageTables.IsTableNotFound(e)));

    private void Remember(PresenceState state, ETag? etag)
    {
        if (etag is { } known)
        {
            cache.Set(new PresenceSnapshot(state, known));
        }
        else
        {
            cache.Forget(state.AssociateId);
        }
    }

    private async Task<PresenceSnapshot> ReadFreshAsync(TableClient table, int associateId, CancellationToken cancellationToken)
    {
        var row = await ReadStatusAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        var snapshot = row is null
            ? new PresenceSnapshot(PresenceState.NeverSet(associateId), null)
            : new PresenceSnapshot(ToState(associateId, row), row.ETag);
        cache.Set(snapshot);
        return snapshot;
    }

    private static List<TableTransactionAction> ChangeActions(PresenceSnapshot current, PresenceState next, OutboxEvent? outbox)
    {
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
            actions.Add(new(TableTransactionActionType.Add, new OutboxEntity
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
            }));
        }

        return actions;
    }

    private static OutboxEvent CreateOutboxEvent(PresenceState previous, PresenceState next)
    {
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

    /// <summary>
    /// Lists the associate in the registry before its first change commits, so an event can never sit
    /// in an outbox the relay does not know about. Runs once per associate, never on later changes.
    /// </summary>
    private static async Task RegisterAsync(TableClient table, int associateId, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(
                new AssociateEntity { PartitionKey = PresenceRows.AssociatesPartitionOf(associateId), RowKey = PresenceRows.Associate(associateId), AssociateId = associateId },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Registered already (by a writer that lost the race, or an earlier attempt).
        }
    }

    private static async Task<PresenceStatusEntity?> ReadStatusAsync(TableClient table, int associateId, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<PresenceStatusEntity>(
            PresenceRows.Partition(associateId), PresenceRows.Status, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    private static PresenceState ToState(int associateId, PresenceStatusEntity row) => new(
        associateId,
        UserStatusNames.TryParse(row.Status, out var status) ? status : UserStatus.StatusNormal,
        row.Message,
        row.Version,
        row.ChangedAt,
        row.ChangedBy);

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
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Set {AssociateId} to {Status} (version {Version}, event {EventId})")]
    private static partial void LogChanged(ILogger logger, int associateId, UserStatus status, long version, string eventId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lost a concurrent-update race for {AssociateId}; retrying")]
    private static partial void LogLostRace(ILogger logger, int associateId);
}
