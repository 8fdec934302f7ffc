using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Events;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Storage;

/// <summary>
/// Reads and changes presence in the Presence table. A change is one entity-group transaction in the
/// associate's partition: the status row (If-Match on its ETag), a history row and an outbox row with
/// the event. Losing the race to another writer (412/409) means re-read and retry, a bounded number of times.
/// </summary>
public sealed partial class PresenceStore(StorageTables tables, AssociateLocks locks, TimeProvider time, ILogger<PresenceStore> logger)
{
    /// <summary>Enough that a writer racing other instances effectively never gives up (each lost race means another change committed).</summary>
    public const int MaxAttempts = 20;

    public async Task<PresenceState> ReadAsync(int associateId, CancellationToken cancellationToken)
    {
        var table = await tables.PresenceAsync(cancellationToken).ConfigureAwait(false);
        var row = await ReadStatusAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        return row is null ? PresenceState.NeverSet(associateId) : ToState(associateId, row);
    }

    /// <param name="traceParent">The request's W3C trace context, stored with the event so it reaches the message.</param>
    public async Task<PresenceCommit> ChangeAsync(int associateId, UserPresenceStatus requested, int changedBy, string? traceParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var table = await tables.PresenceAsync(cancellationToken).ConfigureAwait(false);
        using var held = await locks.AcquireAsync(associateId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var row = await ReadStatusAsync(table, associateId, cancellationToken).ConfigureAwait(false);
            var current = row is null ? PresenceState.NeverSet(associateId) : ToState(associateId, row);
            if (current.Matches(requested))
            {
                return new PresenceCommit(current, null);
            }

            var next = current with
            {
                Status = requested.Status,
                Message = requested.Message,
                Version = current.Version + 1,
                ChangedAt = time.GetUtcNow(),
                ChangedBy = changedBy,
            };
            var outbox = CreateOutboxEvent(current, next) with { TraceParent = traceParent };
            if (row is null)
            {
                await RegisterAsync(table, associateId, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await EntityGroupTransaction.SubmitAsync(table, ChangeActions(row, next, current, outbox), cancellationToken).ConfigureAwait(false);
                LogChanged(logger, associateId, next.Status, next.Version, outbox.EventId);
                return new PresenceCommit(next, outbox);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && e.FailedTransactionActionIndex is not > 0)
            {
                // Another writer got there first: only the status row (action 0) can lose a race.
                if (attempt >= MaxAttempts)
                {
                    throw new ConcurrencyConflictException($"Gave up after {attempt} attempts.", e);
                }

                LogLostRace(logger, associateId, attempt);
                await Task.Delay(Backoff(attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes a presence as given, with its history row but no event, so nothing reacts to it
    /// (<c>presence seed</c>). Writes nothing when it is already so.
    /// </summary>
    public async Task<PresenceState> SeedAsync(int associateId, UserPresenceStatus given, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(given);
        var table = await tables.PresenceAsync(cancellationToken).ConfigureAwait(false);
        using var held = await locks.AcquireAsync(associateId, cancellationToken).ConfigureAwait(false);
        var row = await ReadStatusAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        var current = row is null ? PresenceState.NeverSet(associateId) : ToState(associateId, row);
        if (current.Matches(given))
        {
            return current;
        }

        var next = current with { Status = given.Status, Message = given.Message, Version = current.Version + 1, ChangedAt = time.GetUtcNow(), ChangedBy = 0 };
        if (row is null)
        {
            await RegisterAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        }

        var partition = PresenceRows.Partition(associateId);
        var status = ToEntity(partition, PresenceRows.Status, next, previousStatus: null);
        await EntityGroupTransaction.SubmitAsync(
            table,
            [
                row is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, status)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, status, row.ETag),
                new(TableTransactionActionType.Add, ToEntity(partition, PresenceRows.History(next.Version), next, current.Status)),
            ],
            cancellationToken).ConfigureAwait(false);
        return next;
    }

    private static List<TableTransactionAction> ChangeActions(PresenceStatusEntity? row, PresenceState next, PresenceState previous, OutboxEvent outbox)
    {
        var partition = PresenceRows.Partition(next.AssociateId);
        var status = ToEntity(partition, PresenceRows.Status, next, previousStatus: null);
        return
        [
            row is null
                ? new TableTransactionAction(TableTransactionActionType.Add, status)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, status, row.ETag),
            new(TableTransactionActionType.Add, ToEntity(partition, PresenceRows.History(next.Version), next, previous.Status)),
            new(TableTransactionActionType.Add, new OutboxEntity
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
            }),
        ];
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
                new AssociateEntity { RowKey = PresenceRows.Associate(associateId), AssociateId = associateId },
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

    /// <summary>Jittered exponential backoff, so writers that collided do not collide again in step.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(500, 10 * (1 << Math.Min(attempt, 6))) * (0.5 + Random.Shared.NextDouble()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Set {AssociateId} to {Status} (version {Version}, event {EventId})")]
    private static partial void LogChanged(ILogger logger, int associateId, UserStatus status, long version, string eventId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lost a concurrent-update race for {AssociateId} (attempt {Attempt}); retrying")]
    private static partial void LogLostRace(ILogger logger, int associateId, int attempt);
}
