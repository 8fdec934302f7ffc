using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Events;

/// <summary>
/// Publishes every ticket outbox row older than the grace period. It lists categories from the registry partition
/// and range-reads only the outbox rows of each, so its cost grows with the number of categories and pending
/// events, never with the number of tickets.
/// </summary>
public sealed partial class TicketOutboxRelay(
    StorageTables tables,
    TicketOutboxPublisher publisher,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<TicketOutboxRelay> logger)
{
    /// <summary>The timer's NCRONTAB schedule: the presence relay's (every 30 seconds).</summary>
    public const string Schedule = OutboxRelay.Schedule;

    /// <returns>How many events it published.</returns>
    public async Task<int> RelayAsync(CancellationToken cancellationToken)
    {
        // A Tickets table that came back empty is recreated; the run then finds nothing pending, which is the truth.
        var published = await tables.RunAsync(tables.Names.Tickets, table => RelayAllAsync(table, cancellationToken), cancellationToken).ConfigureAwait(false);
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
        var categories = table.QueryAsync<TableEntity>(
            $"PartitionKey eq '{TicketRows.CategoriesPartition}'", select: ["RowKey"], cancellationToken: cancellationToken);
        await Parallel.ForEachAsync(
            categories,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.Parallelism), CancellationToken = cancellationToken },
            async (category, ct) =>
            {
                // A registry row that is not a category id is not ours to guess at (the store writes none): said, then passed over.
                if (int.TryParse(category.RowKey, NumberStyles.None, CultureInfo.InvariantCulture, out var categoryId))
                {
                    Interlocked.Add(ref published, await RelayAsync(table, categoryId, cutoff, ct).ConfigureAwait(false));
                }
                else
                {
                    LogStrayRegistryRow(logger, category.RowKey);
                }
            }).ConfigureAwait(false);
        return published;
    }

    /// <summary>One category's pending events in ticket/version order; a failure stops and surfaces so the timer run fails and retries.</summary>
    private async Task<int> RelayAsync(TableClient table, int categoryId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var partition = TicketRows.CategoryPartition(categoryId);
        var pending = table.QueryAsync<TicketOutboxEntity>(
            $"PartitionKey eq '{partition}' and RowKey ge '{TicketRows.OutboxPrefix}' and RowKey lt '{TicketRows.End(TicketRows.OutboxPrefix)}'",
            cancellationToken: cancellationToken);
        var count = 0;
        var batch = new List<TicketOutboxEvent>();
        await foreach (var row in pending.ConfigureAwait(false))
        {
            if (row.CreatedAt > cutoff)
            {
                continue;
            }

            // One send per run of rows from the same cause: the publisher's span continues the first row's trace for
            // all it sends, so a batch never mixes traces; a batch is also one clean-up transaction at most.
            if (batch.Count == EntityGroupTransaction.MaxOperations || (batch.Count > 0 && batch[^1].TraceParent != row.TraceParent))
            {
                count += await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            batch.Add(row.ToEvent());
        }

        return count + await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> FlushAsync(List<TicketOutboxEvent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        await publisher.PublishAndClearAsync([.. batch], cancellationToken).ConfigureAwait(false);
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The category registry holds a row that is not a category id, {RowKey}; the ticket relay passes over it")]
    private static partial void LogStrayRegistryRow(ILogger logger, string rowKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket outbox relay published {Count} pending assignment events")]
    private static partial void LogRelayed(ILogger logger, int count);
}
