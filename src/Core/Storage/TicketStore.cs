using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>
/// Categories, members and tickets in the Tickets table (layout in <see cref="TicketRows"/>). Reads are point reads
/// and key ranges (TicketReads.cs); every change of a category partition is <see cref="CommitAsync"/>.
/// </summary>
public sealed partial class TicketStore(StorageTables tables) : ITicketStore
{
    /// <summary>A test seam: runs before a moved ticket leaves its previous category, so a test can crash the move there.</summary>
    public Func<int, CancellationToken, Task>? BeforeLeavingPreviousCategory { get; set; }

    /// <summary>A test seam: runs before each transaction of a partition write (with its index), so a test can interleave another writer there.</summary>
    public Func<PartitionWrite, int, CancellationToken, Task>? BeforeTransaction { get; set; }

    /// <summary>
    /// Writes a change in entity-group transactions of at most 100 operations in the category's partition (see
    /// <see cref="TicketTransactions"/>), each with the category row If-Match the ETag the previous one returned. A
    /// writer that moved first (412), a row that is gone (404) or taken (409) is a <see cref="ConcurrencyConflictException"/>.
    /// </summary>
    public async Task<PartitionCommit> CommitAsync(PartitionWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var plan = TicketTransactions.Build(write);
        try
        {
            return await RunAsync(table => SubmitAsync(table, write, plan, BeforeTransaction, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412 && !StorageTables.IsTableNotFound(e))
        {
            throw new ConcurrencyConflictException($"Category {write.CategoryId} changed under the change.", e);
        }
    }

    private static async Task<PartitionCommit> SubmitAsync(TableClient table, PartitionWrite write, TicketTransactions plan, Func<PartitionWrite, int, CancellationToken, Task>? hook, CancellationToken cancellationToken)
    {
        var version = write.Current?.Version;
        for (var i = 0; i < plan.Chunks.Count; i++)
        {
            var chunk = plan.Chunks[i];
            if (hook is not null)
            {
                await hook(write, i, cancellationToken).ConfigureAwait(false);
            }

            var response = await EntityGroupTransaction.SubmitAsync(table, chunk.Actions(version), cancellationToken).ConfigureAwait(false);

            // The category row is the first operation; its new ETag guards the next chunk.
            version = response.Value[0].Headers.ETag?.ToString()
                ?? throw new InvalidOperationException("The transaction's answer carried no ETag for the category row.");
        }

        return new PartitionCommit(version ?? "", plan.Events, plan.Chunks.Count);
    }

    /// <summary>The categories an associate is a member of, from the membership index.</summary>
    public Task<IReadOnlyList<int>> CategoriesOfAsync(int associateId, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<int>>(
            async table =>
            {
                var categories = new List<int>();
                await foreach (var row in table.QueryAsync<MembershipEntity>(r => r.PartitionKey == TicketRows.MembershipPartition(associateId), cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    categories.Add(row.CategoryId);
                }

                return categories;
            },
            cancellationToken);

    public Task RegisterCategoryAsync(int categoryId, CancellationToken cancellationToken) =>
        RunAsync(
            async table =>
            {
                await table.UpsertEntityAsync(
                    new CategoryRegistryEntity { RowKey = TicketRows.Key(categoryId), CategoryId = categoryId },
                    TableUpdateMode.Replace,
                    cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>One row per associate partition, so these are single writes; sixteen at a time.</summary>
    public Task SetMembershipAsync(int categoryId, IReadOnlyCollection<int> added, IReadOnlyCollection<int> removed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(removed);
        return RunAsync(
            async table =>
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
                await Parallel.ForEachAsync(added, options, async (id, ct) => await table.UpsertEntityAsync(
                    new MembershipEntity { PartitionKey = TicketRows.MembershipPartition(id), RowKey = TicketRows.Key(categoryId), CategoryId = categoryId },
                    TableUpdateMode.Replace,
                    ct).ConfigureAwait(false)).ConfigureAwait(false);
                await Parallel.ForEachAsync(removed, options, async (id, ct) => await table.DeleteEntityAsync(
                    TicketRows.MembershipPartition(id), TicketRows.Key(categoryId), ETag.All, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Every access goes through here, so a Tickets table that came back empty is recreated (and the operation retried once).</summary>
    private Task<T> RunAsync<T>(Func<TableClient, Task<T>> operation, CancellationToken cancellationToken) =>
        tables.RunAsync(tables.Names.Tickets, operation, cancellationToken);
}
