namespace PresenceFunctions.Storage;

/// <summary>
/// Sent events' outbox rows that wait a short while before their removal, by partition: when the same associate changes
/// again meanwhile, the change's own transaction stores its event in one of them or removes them (no request of their own,
/// see <see cref="FoldedRows"/>);
/// the rest are taken by the cleanup once due. Bounded: a full registry parks nothing, and the caller removes the row at once.
/// A row here that is never removed (the process stops) is sent again by the relay as a duplicate the topic absorbs.
/// </summary>
public sealed class SentOutboxRows
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Table, string PartitionKey), List<LinkedListNode<Parked>>> byPartition = [];
    private readonly LinkedList<Parked> byDue = new();
    private readonly TimeProvider time;
    private readonly int capacity;
    private readonly TimeSpan linger;
    private int count;
    private long folded;

    /// <param name="linger">How long a row waits for its partition's next change before it is due for the cleanup.</param>
    public SentOutboxRows(int capacity, TimeSpan linger, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
        this.linger = linger;
        this.time = time;
    }

    /// <summary>Rows parked now.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>Rows taken over or removed so far by a later change's transaction (the benchmark reports it).</summary>
    public long Folded => Interlocked.Read(ref folded);

    /// <summary>Claimed rows a committed transaction took over or removed.</summary>
    public void Removed(int rows) => Interlocked.Add(ref folded, rows);

    /// <summary>Parks a sent row until its partition's next change or its due time; false (parks nothing) when full.</summary>
    public bool TryPark(OutboxRow row) => TryAdd(row, time.GetUtcNow() + linger, foldable: true);

    /// <summary>
    /// Takes up to <paramref name="max"/> of a partition's parked rows, oldest first, for the caller's transaction to take
    /// over or remove. Each is the caller's alone from now on; give back what the transaction did not use with <see cref="GiveBack"/>.
    /// </summary>
    public IReadOnlyList<OutboxRow> Claim(string table, string partitionKey, int max)
    {
        if (Count == 0 || max < 1)
        {
            return [];
        }

        lock (gate)
        {
            if (!byPartition.TryGetValue((table, partitionKey), out var parked))
            {
                return [];
            }

            var claimed = new List<OutboxRow>(Math.Min(max, parked.Count));
            for (var i = 0; i < parked.Count && claimed.Count < max;)
            {
                if (!parked[i].Value.Foldable)
                {
                    i++;
                    continue;
                }

                claimed.Add(parked[i].Value.Row);
                Unlink(parked, i);
            }

            Forget(table, partitionKey, parked);
            return claimed;
        }
    }

    /// <summary>
    /// Claimed rows a transaction did not take over or remove: due at once, for the cleanup alone (never claimed again, so a row that
    /// makes transactions fail cannot fail the next one too). A full registry drops them: the relay sends them again.
    /// </summary>
    public void GiveBack(IEnumerable<OutboxRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows.Reverse()) // each goes first in line: in reverse, they keep their order
        {
            TryAdd(row, time.GetUtcNow(), foldable: false);
        }
    }

    /// <summary>Takes rows whose time is up (all of them when <paramref name="all"/>), at most <paramref name="max"/>.</summary>
    public List<OutboxRow> TakeDue(int max, bool all = false)
    {
        var due = new List<OutboxRow>();
        if (Count == 0)
        {
            return due;
        }

        var now = time.GetUtcNow();
        lock (gate)
        {
            while (due.Count < max && byDue.First is { } first && (all || first.Value.Due <= now))
            {
                var key = (first.Value.Row.Table, first.Value.Row.PartitionKey);
                var parked = byPartition[key];
                due.Add(first.Value.Row);
                Unlink(parked, parked.IndexOf(first));
                Forget(key.Table, key.PartitionKey, parked);
            }
        }

        return due;
    }

    private bool TryAdd(OutboxRow row, DateTimeOffset due, bool foldable)
    {
        ArgumentNullException.ThrowIfNull(row);
        lock (gate)
        {
            if (count >= capacity)
            {
                return false;
            }

            // Due times only grow when the linger is constant, except rows given back (due now): those go first.
            var node = foldable ? byDue.AddLast(new Parked(row, due, foldable)) : byDue.AddFirst(new Parked(row, due, foldable));
            var key = (row.Table, row.PartitionKey);
            if (!byPartition.TryGetValue(key, out var parked))
            {
                byPartition[key] = parked = [];
            }

            parked.Add(node);
            count++;
            return true;
        }
    }

    private void Unlink(List<LinkedListNode<Parked>> parked, int index)
    {
        byDue.Remove(parked[index]);
        parked.RemoveAt(index);
        count--;
    }

    private void Forget(string table, string partitionKey, List<LinkedListNode<Parked>> parked)
    {
        if (parked.Count == 0)
        {
            byPartition.Remove((table, partitionKey));
        }
    }

    private sealed record Parked(OutboxRow Row, DateTimeOffset Due, bool Foldable);
}
