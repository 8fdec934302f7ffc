using System.Globalization;
using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Cli.Bench;

/// <summary>
/// The storage work of one Set, sent straight to Table Storage with nothing in front of it. The transaction is built by
/// the code a Set uses (<see cref="PresenceTransaction"/>), so both send the same rows, properties and event body.
/// </summary>
/// <param name="takeOver">
/// Each transaction stores its event in the key's previous outbox row (a merge, If-Match on that row's ETag), as a Set
/// does when it finds its associate's sent row waiting (<see cref="FoldedRows"/>); otherwise each adds a row of its own,
/// as a Set that finds none does, and the rows stay.
/// </param>
public sealed class RawStorageWorkload(TableClient table, bool takeOver)
{
    private readonly Dictionary<int, KeyState> state = [];

    /// <summary>
    /// Each key's status row and then one change, so the table holds what a Set's warm-up leaves (status, history and
    /// outbox rows): on Azurite an update or a removal costs time in proportion to the table.
    /// </summary>
    public async Task PrepareAsync(int associates, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(Enumerable.Range(0, associates), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            var response = await table.AddEntityAsync(PresenceTransaction.StatusRow(State(key, 0)), ct).ConfigureAwait(false);
            lock (state)
            {
                state[key] = new KeyState(response.Headers.ETag!.Value, 0, null, default);
            }

            await TransactAsync(key, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>The transaction and the outbox row's delete, one after the other: the work a Set causes when nothing folds.</summary>
    public async Task SetAsync(int key, int n, CancellationToken cancellationToken)
    {
        var (partition, outbox) = await TransactAsync(key, cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(partition, outbox, ETag.All, cancellationToken).ConfigureAwait(false);
        lock (state)
        {
            state[key] = state[key] with { SentRow = null };
        }
    }

    /// <summary>Whether <paramref name="key"/> was prepared, so a transaction for it can be sent.</summary>
    public bool Knows(int key)
    {
        lock (state)
        {
            return state.ContainsKey(key);
        }
    }

    /// <summary>The transaction alone: all a Set waits for before it answers.</summary>
    public async Task CommitAsync(int key, int n, CancellationToken cancellationToken) =>
        await TransactAsync(key, cancellationToken).ConfigureAwait(false);

    /// <summary>Workers own disjoint keys, so one key's state is only ever touched by one worker.</summary>
    private async Task<(string Partition, string OutboxRow)> TransactAsync(int key, CancellationToken cancellationToken)
    {
        KeyState current;
        lock (state)
        {
            current = state[key];
        }

        // As the Sets do: the status alternates and the message is new each time, so every one is a change with an event.
        var version = current.Version + 1;
        var previous = State(key, current.Version);
        var next = State(key, version);
        var outbox = PresenceTransaction.EventOf(previous, next);
        string? takenOverTag = null;
        if (takeOver && current.SentRow is { } sentRow)
        {
            outbox = outbox with { RowKey = sentRow };
            takenOverTag = current.SentRowTag.ToString();
        }

        var response = await table.SubmitTransactionAsync(PresenceTransaction.Actions(new PresenceSnapshot(previous, current.ETag), next, outbox, takenOverTag), cancellationToken).ConfigureAwait(false);
        lock (state)
        {
            state[key] = new KeyState(response.Value[0].Headers.ETag!.Value, version, outbox.RowKey, response.Value[2].Headers.ETag!.Value);
        }

        return (PresenceRows.Partition(key), outbox.RowKey);
    }

    private static PresenceState State(int key, long version) =>
        new(key, (version & 1) == 0 ? UserStatus.StatusNormal : UserStatus.StatusNotAvailable, string.Create(CultureInfo.InvariantCulture, $"bench {version}"), version, DateTimeOffset.UtcNow, 1);

    /// <param name="SentRow">The key's last outbox row, still stored: the next transaction takes it over when <c>takeOver</c> is set.</param>
    private sealed record KeyState(ETag ETag, long Version, string? SentRow, ETag SentRowTag);
}
