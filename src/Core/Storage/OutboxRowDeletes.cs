using Azure;
using Azure.Data.Tables;

namespace PresenceFunctions.Storage;

/// <summary>Removes sent events' outbox rows of one partition: in transactions of at most 100, one by one where another remover was first.</summary>
public static class OutboxRowDeletes
{
    /// <returns>The storage requests made (the benchmark and the tests count them).</returns>
    public static async Task<int> DeleteAsync(TableClient table, string partitionKey, IReadOnlyCollection<string> rowKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rowKeys);
        var requests = 0;
        foreach (var chunk in rowKeys.Distinct(StringComparer.Ordinal).Chunk(EntityGroupTransaction.MaxOperations))
        {
            requests++;
            try
            {
                if (chunk.Length == 1)
                {
                    using var single = await table.DeleteEntityAsync(partitionKey, chunk[0], ETag.All, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await EntityGroupTransaction.SubmitAsync(
                    table,
                    [.. chunk.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ETag.All))],
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // The relay sent and removed some of them first; remove the rest one by one (a missing one is done).
                foreach (var rowKey in chunk)
                {
                    requests++;
                    using var response = await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return requests;
    }
}
