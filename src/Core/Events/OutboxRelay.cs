using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Events;

/// <summary>
/// Publishes every outbox row older than the grace period. It lists associates from the registry
/// partition and range-reads only the outbox rows of each, so its cost grows with the number of
/// associates and pending events, never with history.
/// </summary>
public sealed partial class OutboxRelay(
    StorageTables tables,
    OutboxPublisher publisher,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger)
{
    /// <summary>The timer's NCRONTAB schedule: every 30 seconds.</summary>
    public const string Schedule = "*/30 * * * * *";

    /// <returns>How many events it published.</returns>
    public async Task<int> RelayAsync(CancellationToken cancellationToken)
    {
        // A Presence table that came back empty is recreated; the run then finds nothing pending, which is the truth.
        var published = await tables.RunAsync(tables.Names.Presence, table => RelayAllAsync(table, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (published > 0)
        {
            LogRelayed(logger, published);
        }

        return published;
    }

    private async Task<int> RelayAllAsync(TableClient table, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.GraceSeconds);
        var published = 0;
        var associates = Enumerable.Range(0, PresenceRows.AssociateShards).ToAsyncEnumerable().SelectMany(shard => table.QueryAsync<AssociateEntity>(
            $"PartitionKey eq '{PresenceRows.AssociatesPartition(shard)}'", select: [nameof(AssociateEntity.AssociateId)], cancellationToken: cancellationToken));
        await Parallel.ForEachAsync(
            associates,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.Parallelism), CancellationToken = cancellationToken },
            async (associate, ct) => Interlocked.Add(ref published, await RelayAsync(table, associate.AssociateId, cutoff, ct).ConfigureAwait(false))).ConfigureAwait(false);
        return published;
    }

    /// <summary>One associate's pending events, oldest version first; a failure stops and surfaces so the timer run fails and retries.</summary>
    private async Task<int> RelayAsync(TableClient table, int associateId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var partition = PresenceRows.Partition(associateId);
        var pending = table.QueryAsync<OutboxEntity>(
            $"PartitionKey eq '{partition}' and RowKey ge '{PresenceRows.OutboxPrefix}' and RowKey lt '{PresenceRows.OutboxEnd}'",
            cancellationToken: cancellationToken);
        var count = 0;
        await foreach (var row in pending.ConfigureAwait(false))
        {
            if (row.CreatedAt > cutoff)
            {
                continue;
            }

            await publisher.PublishAndClearAsync(row.ToEvent(), cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay published {Count} pending events")]
    private static partial void LogRelayed(ILogger logger, int count);
}
