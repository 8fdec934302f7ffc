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
/// </summary>
public sealed partial class OutboxCleanup
{
    /// <summary>Rows taken in one round; their deletes run side by side, at most <see cref="OutboxOptions.CleanupParallelism"/> partitions at a time.</summary>
    public const int RoundSize = 500;

    private readonly Channel<OutboxRow> rows;
    private readonly StorageTables tables;
    private readonly int parallelism;
    private readonly TimeSpan timeout;
    private readonly ILogger<OutboxCleanup> logger;
    private readonly PendingWork pending = new();
    private long requests;

    public OutboxCleanup(StorageTables tables, IOptions<OutboxOptions> options, ILogger<OutboxCleanup> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.tables = tables;
        this.logger = logger;
        parallelism = Math.Max(1, options.Value.CleanupParallelism);
        timeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.PublishTimeoutSeconds));
        rows = Channel.CreateBounded<OutboxRow>(new BoundedChannelOptions(Math.Max(1, options.Value.CleanupCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then answers false instead of dropping anything
            SingleReader = true,
        });
    }

    /// <summary>Storage requests made so far (the benchmark's round trips after the answer).</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Completes once every row handed over so far is removed or given up.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken) => pending.WhenIdleAsync(cancellationToken);

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

    /// <summary>Takes nothing more; <see cref="RunAsync"/> finishes what it holds and returns.</summary>
    public void Complete() => rows.Writer.TryComplete();

    /// <summary>Removes rows round by round until completed and empty, or <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
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
                        table => OutboxRowDeletes.DeleteAsync(table, partition.Key.PartitionKey, [.. partition.Select(r => r.RowKey)], bounded.Token),
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

/// <summary>A sent event's outbox row, by table name and keys.</summary>
public sealed record OutboxRow(string Table, string PartitionKey, string RowKey);
