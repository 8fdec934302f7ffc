namespace PresenceFunctions.Storage;

/// <summary>
/// The sent rows of a partition claimed for one change's transaction. The row holding the event just before this change
/// is taken over (<see cref="Reused"/>: the change stores its own event in it instead of adding a row); the others are
/// deleted in the transaction (<see cref="Deleted"/>). What the transaction does not remove or reuse goes back to the cleanup, once.
/// </summary>
public sealed class FoldedRows
{
    private readonly SentOutboxRows registry;

    private FoldedRows(SentOutboxRows registry, OutboxRow? reused, IReadOnlyList<OutboxRow> deleted)
    {
        this.registry = registry;
        Reused = reused;
        Deleted = deleted;
    }

    /// <summary>The sent row the change's event is stored in, or null when it adds a row of its own.</summary>
    public OutboxRow? Reused { get; private set; }

    /// <summary>The sent rows the change's transaction deletes.</summary>
    public IReadOnlyList<OutboxRow> Deleted { get; private set; }

    /// <summary>
    /// Claims the partition's waiting rows that may ride along: each key once, never the change's own outbox key (after
    /// storage was emptied, versions start over and an old sent row can share a key with a new one), and only rows whose
    /// tag is known, so the write can only hit the row that was sent. The others go to the cleanup at once.
    /// </summary>
    /// <param name="ownOutboxKey">The key the change's event would be added under; null when the change has no event.</param>
    /// <param name="reusableVersion">
    /// The version the change starts from, when it has an event: the sent row holding that version's event is reused.
    /// Only that one: every event still waiting to be sent is then older and under a lower key, so the relay, which reads
    /// a partition's rows in key order, still sends them oldest first.
    /// </param>
    public static FoldedRows Claim(SentOutboxRows registry, string table, string partitionKey, string? ownOutboxKey, long? reusableVersion)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var claimed = registry.Claim(table, partitionKey, PresenceStore.MaxFoldedRows);
        if (claimed.Count == 0)
        {
            return new(registry, null, claimed);
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (ownOutboxKey is not null)
        {
            keys.Add(ownOutboxKey);
        }

        OutboxRow? reused = null;
        var deleted = new List<OutboxRow>(claimed.Count);
        var left = new List<OutboxRow>();
        foreach (var row in claimed)
        {
            if (row.Tag is null || !keys.Add(row.RowKey))
            {
                left.Add(row);
            }
            else if (reused is null && reusableVersion is { } version && row.Version == version)
            {
                reused = row;
            }
            else
            {
                deleted.Add(row);
            }
        }

        registry.GiveBack(left);
        return new(registry, reused, deleted);
    }

    /// <summary>The transaction committed with them.</summary>
    public void Committed()
    {
        registry.Removed(Deleted.Count + (Reused is null ? 0 : 1));
        (Reused, Deleted) = (null, []);
    }

    /// <summary>The transaction failed: every row goes to the cleanup.</summary>
    public void GiveBack() => GiveBack(reusedGone: false, deletedGone: -1);

    /// <summary>The transaction was refused for one of these rows, which is not ours to write any more (gone, or stored again); the others go to the cleanup.</summary>
    /// <param name="reusedGone">The reused row was refused.</param>
    /// <param name="deletedGone">The index in <see cref="Deleted"/> of the row refused, or -1.</param>
    public void GiveBack(bool reusedGone, int deletedGone)
    {
        var back = Deleted.Where((_, i) => i != deletedGone);
        registry.GiveBack(Reused is { } reused && !reusedGone ? back.Prepend(reused) : back);
        (Reused, Deleted) = (null, []);
    }
}
