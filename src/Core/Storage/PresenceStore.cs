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
/// The partition's earlier events' outbox rows that were sent since (<see cref="SentOutboxRows"/>) ride along: the change
/// stores its event in the row of the event just before it, and deletes the others, so an associate who changes again
/// soon costs no separate delete (<see cref="FoldedRows"/>).
/// A change with an expiry stores its time on the status row and first adds a row to the expiry index (another
/// partition, so not in the transaction: a row whose change never committed is found stale by the guard and dropped).
/// </summary>
public sealed partial class PresenceStore(StorageTables tables, AssociateLocks locks, PresenceCache cache, ConflictRetry retry, SentOutboxRows sentRows, TimeProvider time, ILogger<PresenceStore> logger)
    : IPresenceStore, IExpiringPresenceStore
{
    /// <summary>At most this many sent rows ride along in one change's transaction; more wait for the cleanup.</summary>
    public const int MaxFoldedRows = 16;

    /// <summary>Presence that returns by itself: StatusNormal, no message.</summary>
    private static readonly UserPresenceStatus Reverted = new(UserStatus.StatusNormal, null);

    /// <summary>Always from storage: another instance may have changed it since this one last looked.</summary>
    public async Task<PresenceState> ReadAsync(int associateId, CancellationToken cancellationToken) =>
        (await tables.RunAsync(tables.Names.Presence, table => ReadFreshAsync(table, associateId, cancellationToken), cancellationToken).ConfigureAwait(false)).State;

    /// <summary>A change without expiry: cancels a pending one.</summary>
    public Task<PresenceCommit> ChangeAsync(int associateId, UserPresenceStatus requested, int changedBy, string? traceParent, CancellationToken cancellationToken) =>
        WriteAsync(associateId, new PresenceWrite(requested, changedBy, true, traceParent), cancellationToken);

    public Task<PresenceCommit> ChangeAsync(int associateId, UserPresenceStatus requested, int changedBy, TimeSpan expiresIn, string? traceParent, CancellationToken cancellationToken) =>
        WriteAsync(associateId, new PresenceWrite(requested, changedBy, true, traceParent) { ExpiresIn = expiresIn }, cancellationToken);

    public Task<PresenceCommit> ExpireAsync(int associateId, long version, CancellationToken cancellationToken) =>
        WriteAsync(associateId, new PresenceWrite(Reverted, 0, true, null) { ExpiringVersion = version }, cancellationToken);

    /// <summary>Versions are contiguous, so the page is the key range from version (latest - skip - top + 1) to (latest - skip).</summary>
    public async Task<IReadOnlyList<PresenceHistoryEntry>> ReadHistoryAsync(int associateId, int top, int skip, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return await tables.RunAsync(tables.Names.Presence, async table =>
        {
            var latest = (await ReadFreshAsync(table, associateId, cancellationToken).ConfigureAwait(false)).State.Version;
            var newest = latest - skip;
            if (newest < 1)
            {
                return (IReadOnlyList<PresenceHistoryEntry>)[];
            }

            var oldest = Math.Max(1, newest - top + 1);
            var partition = PresenceRows.Partition(associateId);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {PresenceRows.History(oldest)} and RowKey le {PresenceRows.History(newest)}");
            var rows = new List<PresenceHistoryEntry>(top);
            await foreach (var row in table.QueryAsync<PresenceStatusEntity>(filter, maxPerPage: top, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new PresenceHistoryEntry(
                    ParseStatus(row.Status),
                    row.Message,
                    row.Version,
                    row.ChangedAt,
                    row.ChangedBy,
                    row.PreviousStatus is { } previous ? ParseStatus(previous) : null));
            }

            rows.Reverse();
            return (IReadOnlyList<PresenceHistoryEntry>)rows;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a presence as given, with its history row but no event, so nothing reacts to it
    /// (<c>presence seed</c>). Writes nothing when it is already so.
    /// </summary>
    public async Task<PresenceState> SeedAsync(int associateId, UserPresenceStatus given, CancellationToken cancellationToken) =>
        (await WriteAsync(associateId, new PresenceWrite(given, 0, false, null), cancellationToken).ConfigureAwait(false)).State;

    private async Task<PresenceCommit> WriteAsync(int associateId, PresenceWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write.Requested);
        using var held = await locks.AcquireAsync(associateId, cancellationToken).ConfigureAwait(false);
        return await tables.RunAsync(
            tables.Names.Presence,
            table => retry.RunAsync(ct => AttemptAsync(table, associateId, write, ct), cancellationToken).AsTask(),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One try: from the cached snapshot when this process has one, else from storage. A lost race throws <see cref="ConcurrencyConflictException"/>.</summary>
    private async ValueTask<PresenceCommit> AttemptAsync(TableClient table, int associateId, PresenceWrite write, CancellationToken cancellationToken)
    {
        // A revert decides on what storage holds: a cached snapshot may predate the change whose expiry this is.
        var cached = write.ExpiringVersion is null ? cache.Get(associateId) : null;
        var snapshot = cached ?? await ReadFreshAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        if (cached is not null && write.ChangesNothing(snapshot.State))
        {
            // "Nothing to change" is only trusted from storage: another instance may have changed it meanwhile.
            snapshot = await ReadFreshAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        if (write.ChangesNothing(snapshot.State) || (write.ExpiringVersion is { } version && !PresenceExpiryRules.IsDue(snapshot.State, version, now)))
        {
            return new PresenceCommit(snapshot.State, null);
        }

        var current = snapshot.State;
        DateTimeOffset? expiresAt = write.ExpiresIn is { } duration ? now + duration : null;
        if (current.Matches(write.Requested) && snapshot.ETag is { } stored)
        {
            return await ChangeExpiryAsync(table, current with { ExpiresAt = expiresAt }, stored, cancellationToken).ConfigureAwait(false);
        }

        var requested = write.Requested;
        var next = current with
        {
            Status = requested.Status,
            Message = requested.Message,
            Version = current.Version + 1,
            ChangedAt = now,
            ChangedBy = write.ChangedBy,
            ExpiresAt = expiresAt,
        };
        var outbox = write.WithEvent ? PresenceTransaction.EventOf(current, next) with { TraceParent = write.TraceParent } : null;
        if (snapshot.ETag is null)
        {
            await RegisterAsync(table, associateId, cancellationToken).ConfigureAwait(false);
        }

        await IndexExpiryAsync(table, next, cancellationToken).ConfigureAwait(false);

        var folded = FoldedRows.Claim(sentRows, table.Name, PresenceRows.Partition(associateId), outbox?.RowKey, outbox is null ? null : current.Version);
        try
        {
            var (response, committed) = await SubmitAsync(table, associateId, snapshot, next, outbox, folded, cancellationToken).ConfigureAwait(false);
            folded.Committed();
            Remember(next, response.Value[0].Headers.ETag);
            LogChanged(logger, associateId, next.Status, next.Version, committed?.EventId ?? "none");
            return new PresenceCommit(next, committed is null ? null : committed with { RowTag = response.Value[2].Headers.ETag?.ToString() });
        }
        catch (TableTransactionFailedException e) when (IsLostRace(e) || IsRowTaken(e))
        {
            folded.GiveBack();
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
        catch (Exception)
        {
            folded.GiveBack();
            throw;
        }
    }

    /// <summary>
    /// The change's transaction: its event stored in the reused sent row (or a row of its own), then the deletes of the
    /// other folded rows. When one of those rows is gone (the relay was first) or was stored again, the change commits
    /// without them at once, its event in a row of its own: a sent row never fails a change.
    /// </summary>
    /// <returns>The response, and the event as stored (under the reused row's key when there was one).</returns>
    private async Task<(Azure.Response<IReadOnlyList<Azure.Response>> Response, OutboxEvent? Stored)> SubmitAsync(
        TableClient table, int associateId, PresenceSnapshot snapshot, PresenceState next, OutboxEvent? outbox, FoldedRows folded, CancellationToken cancellationToken)
    {
        var reusing = folded.Reused is not null && outbox is not null;
        var stored = reusing ? outbox! with { RowKey = folded.Reused!.RowKey } : outbox;
        var actions = PresenceTransaction.Actions(snapshot, next, stored, reusing ? folded.Reused!.Tag : null);
        var own = actions.Count;
        actions.AddRange(folded.Deleted.Select(row => OutboxRowDeletes.Action(row.PartitionKey, row.RowKey, row.Tag)));
        try
        {
            return (await EntityGroupTransaction.SubmitAsync(table, actions, cancellationToken).ConfigureAwait(false), stored);
        }
        catch (TableTransactionFailedException e) when (e.Status is 400 or 404 or 409 or 412 && e.FailedTransactionActionIndex is { } failed
            && (failed >= own || (reusing && failed == own - 1)) && !StorageTables.IsTableNotFound(e))
        {
            // 404 or 412: that row is not ours to write any more. 400/409 would be a key twice in one batch, which
            // FoldedRows.Claim already rules out; either way the change must not fail for a sent row.
            LogFoldRefused(logger, associateId, e.Status);
            var gone = e.Status is 404 or 412;
            folded.GiveBack(reusedGone: gone && failed < own, deletedGone: gone && failed >= own ? failed - own : -1);
            return (await EntityGroupTransaction.SubmitAsync(table, PresenceTransaction.Actions(snapshot, next, outbox), cancellationToken).ConfigureAwait(false), outbox);
        }
    }

    /// <summary>Only the expiry changes (set on an unchanged presence, or cancelled): the status row alone, same version, no history, no event.</summary>
    private async Task<PresenceCommit> ChangeExpiryAsync(TableClient table, PresenceState next, ETag etag, CancellationToken cancellationToken)
    {
        await IndexExpiryAsync(table, next, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(
                PresenceTransaction.StatusRow(next), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            Remember(next, response.Headers.ETag);
            LogExpiryChanged(logger, next.AssociateId, next.Version, next.ExpiresAt);
            return new PresenceCommit(next, null);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412 && !StorageTables.IsTableNotFound(e))
        {
            cache.Forget(next.AssociateId);
            LogLostRace(logger, next.AssociateId);
            throw new ConcurrencyConflictException($"Lost a concurrent-update race for associate {next.AssociateId}.", e);
        }
    }

    /// <summary>Before the change commits, so a committed expiry is always indexed; an index row without its change is dropped by the timer.</summary>
    private static async Task IndexExpiryAsync(TableClient table, PresenceState next, CancellationToken cancellationToken)
    {
        if (next.ExpiresAt is { } due)
        {
            await table.UpsertEntityAsync(
                new ExpiryEntity
                {
                    PartitionKey = PresenceRows.ExpiryPartition(due),
                    RowKey = PresenceRows.Expiry(next.AssociateId, next.Version),
                    AssociateId = next.AssociateId,
                    Version = next.Version,
                    ExpiresAt = due,
                },
                TableUpdateMode.Replace,
                cancellationToken).ConfigureAwait(false);
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
        ParseStatus(row.Status),
        row.Message,
        row.Version,
        row.ChangedAt,
        row.ChangedBy)
    {
        ExpiresAt = row.ExpiresAt,
    };

    private static UserStatus ParseStatus(string stored) => UserStatusNames.TryParse(stored, out var status) ? status : UserStatus.StatusNormal;


    [LoggerMessage(Level = LogLevel.Information, Message = "Set {AssociateId} to {Status} (version {Version}, event {EventId})")]
    private static partial void LogChanged(ILogger logger, int associateId, UserStatus status, long version, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry of {AssociateId} (version {Version}) is now {ExpiresAt}")]
    private static partial void LogExpiryChanged(ILogger logger, int associateId, long version, DateTimeOffset? expiresAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A sent outbox row of {AssociateId} could not be taken over or removed by its next change ({Status}); the change committed with a row of its own, and the cleanup takes the others")]
    private static partial void LogFoldRefused(ILogger logger, int associateId, int status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lost a concurrent-update race for {AssociateId}; retrying")]
    private static partial void LogLostRace(ILogger logger, int associateId);
}

/// <summary>What one write asks for: a change, seeding (no event), a change that expires, or the revert of an expired one.</summary>
internal sealed record PresenceWrite(UserPresenceStatus Requested, int ChangedBy, bool WithEvent, string? TraceParent)
{
    public TimeSpan? ExpiresIn { get; init; }

    /// <summary>Set for a revert: the version whose expiry has come, the guard against any change since.</summary>
    public long? ExpiringVersion { get; init; }

    /// <summary>Same presence and no expiry pending nor asked: nothing is written, nothing published.</summary>
    public bool ChangesNothing(PresenceState state) => state.Matches(Requested) && state.ExpiresAt is null && ExpiresIn is null;
}
