using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Events;

/// <summary>
/// Removes the outbox rows of events the dispatch queue has sent, behind it: a lane publishes its next event
/// without waiting for the last one's delete, and rows that gathered meanwhile go out together, one transaction per
/// partition. Never in the lanes' way: a full cleanup leaves the row, and every partition's delete has the publish
/// timeout. A row not removed (full, storage failing or slow, stopping) is sent again by the relay under the same
/// MessageId, which the topic's duplicate detection absorbs: late cleanup costs a duplicate send at worst, never an event.
/// A sent presence row first waits <see cref="OutboxOptions.CleanupDelaySeconds"/> in <see cref="SentOutboxRows"/>: when its
/// associate changes again meanwhile, that change's transaction stores its own event in it (or removes it), and only the
/// rest cost a request here.
/// </summary>
public sealed partial class OutboxCleanup
{
    /// <summary>Rows taken in one round; their deletes run side by side, at most <see cref="OutboxOptions.CleanupParallelism"/> partitions at a time.</summary>
    public const int RoundSize = 500;

    private readonly Channel<OutboxRow> rows;
    private readonly SentOutboxRows parked;
    private readonly TimeProvider time;
    private readonly TimeSpan delay;
    private readonly StorageTables tables;
    private readonly int parallelism;
    private readonly int capacity;
    private readonly TimeSpan timeout;
    private readonly ILogger<OutboxCleanup> logger;
    private readonly PendingWork pending = new();
    private long requests;
    private readonly Lock promoting = new();
    private bool completed;

    public OutboxCleanup(StorageTables tables, SentOutboxRows parked, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxCleanup> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.tables = tables;
        this.parked = parked;
        this.time = time;
        delay = options.Value.CleanupDelay;
        this.logger = logger;
        parallelism = Math.Max(1, options.Value.CleanupParallelism);
        timeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.PublishTimeoutSeconds));
        capacity = Math.Max(1, options.Value.CleanupCapacity);
        rows = Channel.CreateBounded<OutboxRow>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then answers false instead of dropping anything
            SingleReader = true,
        });
    }

    /// <summary>Storage requests made so far (the benchmark's round trips after the answer).</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Completes once every row handed over so far is removed or given up; rows still waiting for their time are removed now.</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        do
        {
            Promote(all: true);
            await pending.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
        while (parked.Count > 0 && !Volatile.Read(ref completed)); // more than the removal queue had room for
    }

    /// <summary>Completes once the rows due so far are removed or given up; rows waiting for their time (or their associate's next change) stay.</summary>
    public Task WhenCaughtUpAsync(CancellationToken cancellationToken)
    {
        Promote(all: false);
        return pending.WhenIdleAsync(cancellationToken);
    }

    /// <summary>
    /// A sent presence event's row: it waits for its associate's next change to take it over or remove it within that transaction, or for
    /// its time; at once when the delay is 0, or nothing more can wait.
    /// </summary>
    public int Park(OutboxRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return delay > TimeSpan.Zero && !Volatile.Read(ref completed) && parked.TryPark(row) ? 1 : Take([row]);
    }

    /// <summary>Hands over a sent event's rows, at once; a row that finds the cleanup full or closed stays for the relay.</summary>
    /// <returns>How many rows were taken.</returns>
    public int Take(IEnumerable<OutboxRow> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var taken = 0;
        foreach (var row in sent)
        {
            pending.Started();
            if (rows.Writer.TryWrite(row))
            {
                taken++;
                continue;
            }

            pending.Finished();
            LogFull(logger, row.Table, row.PartitionKey, row.RowKey);
        }

        return taken;
    }

    /// <summary>Takes nothing more; the waiting rows are due at once, and <see cref="RunAsync"/> finishes what it holds and returns.</summary>
    public void Complete()
    {
        lock (promoting)
        {
            completed = true;
        }

        Promote(all: true, closing: true);
        if (parked.Count > 0)
        {
            LogLeft(logger, parked.Count); // no room left to take them: the relay sends them again as duplicates
        }

        rows.Writer.TryComplete();
    }

    /// <summary>Removes rows round by round until completed and empty, or <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var stopPromoting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var promoting = delay > TimeSpan.Zero ? PromoteDueAsync(stopPromoting.Token) : Task.CompletedTask;
        try
        {
            await RemoveAllAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await stopPromoting.CancelAsync().ConfigureAwait(false);
            await promoting.ConfigureAwait(false);
        }
    }

    /// <summary>Hands waiting rows whose time is up to the removal, as often as a tenth of the delay (at least every second).</summary>
    private async Task PromoteDueAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Clamp(delay.Ticks / 10, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    Promote(all: false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Never the end of promoting: the rows stay parked and are tried on the next tick.
                    LogNotRemoved(logger, parked.Count, "-", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: Complete hands whatever still waits to the removal.
        }
    }

    /// <summary>Moves waiting rows (due ones, or all) into the removal queue, as many as it has room for; after <see cref="Complete"/> only Complete's own call does.</summary>
    private void Promote(bool all, bool closing = false)
    {
        lock (promoting)
        {
            if (!completed || closing)
            {
                PromoteHeld(all);
            }
        }
    }

    private void PromoteHeld(bool all)
    {
        while (parked.Count > 0)
        {
            var room = rows.Reader.CanCount ? Math.Min(RoundSize, capacity - rows.Reader.Count) : RoundSize;
            var due = room > 0 ? parked.TakeDue(room, all) : [];
            if (due.Count == 0)
            {
                return;
            }

            Take(due);
        }
    }

    private async Task RemoveAllAsync(CancellationToken stoppingToken)
    {
        var reader = rows.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                var round = new List<OutboxRow>(RoundSize);
                while (round.Count < RoundSize && reader.TryRead(out var row))
                {
                    round.Add(row);
                }

                try
                {
                    await RemoveAsync(round, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    // Each partition catches its own failures; this is the last guard that keeps the reader reading.
                    LogNotRemoved(logger, round.Count, "-", e.GetType().Name);
                }
                finally
                {
                    round.ForEach(_ => pending.Finished());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Out of time: the rows still held are sent again by the relay, and absorbed as duplicates.
        }

        var left = 0;
        while (reader.TryRead(out _))
        {
            left++;
            pending.Finished();
        }

        if (left > 0)
        {
            LogLeft(logger, left);
        }
    }

    private Task RemoveAsync(List<OutboxRow> round, CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            round.GroupBy(r => (r.Table, r.PartitionKey)),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stoppingToken },
            async (partition, ct) =>
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
                bounded.CancelAfter(timeout);
                try
                {
                    var made = await tables.RunAsync(
                        partition.Key.Table,
                        table => OutboxRowDeletes.DeleteAsync(table, partition.Key.PartitionKey, [.. partition], bounded.Token),
                        bounded.Token).ConfigureAwait(false);
                    Interlocked.Add(ref requests, made);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    // Best effort by design (the relay stands behind it): no failure or timeout here, not even the SDK's
                    // own timeout surfacing as a TaskCanceledException, may stop the cleanup.
                    LogNotRemoved(logger, partition.Count(), partition.Key.Table, e.GetType().Name);
                }
            });

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} sent events' outbox rows in {Table} were not removed ({Failure}); the relay sends them again as duplicates")]
    private static partial void LogNotRemoved(ILogger logger, int count, string table, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox cleanup is full: the sent event's row {Table}/{PartitionKey}/{RowKey} stays, and the relay sends it again as a duplicate")]
    private static partial void LogFull(ILogger logger, string table, string partitionKey, string rowKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: {Count} sent events' outbox rows were not removed; the relay sends them again as duplicates")]
    private static partial void LogLeft(ILogger logger, int count);
}
