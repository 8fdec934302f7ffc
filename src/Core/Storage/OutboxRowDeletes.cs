using Azure;
using Azure.Data.Tables;

namespace PresenceFunctions.Storage;

/// <summary>Removes sent events' outbox rows of one partition: in transactions of at most 100, one by one where another remover was first.</summary>
public static class OutboxRowDeletes
{
    /// <returns>The storage requests made (the benchmark and the tests count them).</returns>
    public static Task<int> DeleteAsync(TableClient table, string partitionKey, IReadOnlyCollection<string> rowKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rowKeys);
        return DeleteAsync(table, partitionKey, [.. rowKeys.Select(rowKey => (rowKey, (string?)null))], cancellationToken);
    }

    /// <summary>Rows with a tag are removed only while they still carry it: a row stored again under the same key is not ours.</summary>
    /// <returns>The storage requests made.</returns>
    public static Task<int> DeleteAsync(TableClient table, string partitionKey, IReadOnlyCollection<OutboxRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return DeleteAsync(table, partitionKey, [.. rows.Select(row => (row.RowKey, row.Tag))], cancellationToken);
    }

    /// <summary>The delete of one sent row: If-Match on its tag when known.</summary>
    public static TableTransactionAction Action(string partitionKey, string rowKey, string? tag) =>
        new(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), MatchOf(tag));

    private static async Task<int> DeleteAsync(TableClient table, string partitionKey, List<(string RowKey, string? Tag)> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var requests = 0;
        foreach (var chunk in rows.DistinctBy(row => row.RowKey, StringComparer.Ordinal).Chunk(EntityGroupTransaction.MaxOperations))
        {
            requests++;
            try
            {
                if (chunk.Length == 1)
                {
                    await DeleteOneAsync(table, partitionKey, chunk[0], cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await EntityGroupTransaction.SubmitAsync(table, [.. chunk.Select(row => Action(partitionKey, row.RowKey, row.Tag))], cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                // The relay (or the row's next change) removed some of them first, or one was stored again: one by one.
                foreach (var row in chunk)
                {
                    requests++;
                    await DeleteOneAsync(table, partitionKey, row, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return requests;
    }

    /// <summary>A missing row is done (the SDK answers 404 without throwing); a row carrying another tag was stored again and stays.</summary>
    private static async Task DeleteOneAsync(TableClient table, string partitionKey, (string RowKey, string? Tag) row, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await table.DeleteEntityAsync(partitionKey, row.RowKey, MatchOf(row.Tag), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412 && row.Tag is not null)
        {
            // Not the row that was sent: it is a later event's, and stays for it.
        }
    }

    private static ETag MatchOf(string? tag) => tag is null ? ETag.All : new ETag(tag);
}
