using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Auth;

/// <summary>
/// Removes expired SoTicket rows, which authentication already refuses, so the Credentials table does not
/// grow with every ticket ever issued. Bounded work per run: at most <see cref="EntityGroupTransaction.MaxOperations"/>
/// rows per transaction and <c>maxRows</c> rows in all; what is left goes on the next run.
/// </summary>
public sealed partial class ExpiredSoTicketPurge(StorageTables tables, TimeProvider time, ILogger<ExpiredSoTicketPurge> logger)
{
    /// <summary>Per run: 100 transactions; a backlog larger than that drains over a few runs.</summary>
    public const int DefaultMaxRows = 10_000;

    /// <returns>How many expired ticket rows it removed.</returns>
    public async Task<int> PurgeAsync(int maxRows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var now = time.GetUtcNow();
        var removed = await tables.RunAsync(
            tables.Names.Credentials,
            async table =>
            {
                var count = 0;

                // Tickets live in exactly 256 partitions, ticket-00 … ticket-ff, holding ticket rows only (users are
                // in `user`): one query per partition filtered on ExpiresAt is a bounded scan of ticket rows, never
                // of anything else, and pages of 100 are deleted as one transaction each.
                for (var shard = 0; shard < 256 && count < maxRows; shard++)
                {
                    var partition = CredentialStore.SoTicketPartition(shard.ToString("x2", CultureInfo.InvariantCulture));
                    count += await PurgePartitionAsync(table, partition, now, maxRows - count, cancellationToken).ConfigureAwait(false);
                }

                return count;
            },
            cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            LogPurged(logger, removed);
        }

        return removed;
    }

    private static async Task<int> PurgePartitionAsync(TableClient table, string partition, DateTimeOffset now, int budget, CancellationToken cancellationToken)
    {
        var filter = string.Create(CultureInfo.InvariantCulture, $"PartitionKey eq '{partition}' and ExpiresAt lt datetime'{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'");
        var count = 0;
        var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: EntityGroupTransaction.MaxOperations, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).AsPages();
        await foreach (var page in pages.ConfigureAwait(false))
        {
            var rows = page.Values.Take(budget - count).ToList();
            if (rows.Count == 0)
            {
                break;
            }

            await DeleteAsync(table, rows, cancellationToken).ConfigureAwait(false);
            count += rows.Count;
            if (count >= budget)
            {
                break;
            }
        }

        return count;
    }

    private static async Task DeleteAsync(TableClient table, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        try
        {
            await EntityGroupTransaction.SubmitAsync(
                table,
                [.. rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All))],
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && !StorageTables.IsTableNotFound(e))
        {
            // A row of the page is gone already (revoked, or another instance purging): one by one, where a 404 is no error.
            foreach (var row in rows)
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} expired tickets")]
    private static partial void LogPurged(ILogger logger, int count);
}
