using System.Globalization;
using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>Categories, members and tickets in the Tickets table (layout in <see cref="TicketRows"/>).</summary>
public sealed class TicketStore(StorageTables tables) : ITicketStore
{
    /// <summary>Reads a category's partition: its row, its members and its open tickets, in one query.</summary>
    public Task<CategorySnapshot?> ReadCategoryAsync(int categoryId, CancellationToken cancellationToken) =>
        RunAsync(table => ReadCategoryAsync(table, categoryId, cancellationToken), cancellationToken);

    private static async Task<CategorySnapshot?> ReadCategoryAsync(TableClient table, int categoryId, CancellationToken cancellationToken)
    {
        var partition = TicketRows.CategoryPartition(categoryId);
        var filter = $"PartitionKey eq '{partition}' and (RowKey eq '{TicketRows.CategoryRow}' "
            + $"or (RowKey ge '{TicketRows.MemberPrefix}' and RowKey lt 'member.') "
            + $"or (RowKey ge '{TicketRows.TicketPrefix}' and RowKey lt 'ticket.' and State eq '{nameof(TicketState.Open)}'))";

        TableEntity? categoryRow = null;
        var members = new List<CategoryMember>();
        var tickets = new List<Ticket>();
        var etags = new Dictionary<int, string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == TicketRows.CategoryRow)
            {
                categoryRow = row;
            }
            else if (row.RowKey.StartsWith(TicketRows.MemberPrefix, StringComparison.Ordinal))
            {
                members.Add(new CategoryMember(row.GetInt32("AssociateId") ?? 0, row.GetInt32("Weight") ?? 1));
            }
            else
            {
                var ticket = ToTicket(row);
                tickets.Add(ticket);
                etags[ticket.Id] = row.ETag.ToString();
            }
        }

        if (categoryRow is null)
        {
            return null;
        }

        var category = new Category(
            categoryId,
            categoryRow.GetString("Name") ?? "",
            Enum.TryParse<AssignmentMethod>(categoryRow.GetString("Method"), ignoreCase: true, out var method) ? method : AssignmentMethod.DoNotAssign,
            categoryRow.GetInt32("AdminId") ?? 0,
            categoryRow.GetBoolean("FallbackToAdmin") ?? false,
            categoryRow.GetInt32("Cursor") ?? 0);
        return new CategorySnapshot(category, categoryRow.ETag.ToString(), members, tickets, etags);
    }

    /// <summary>
    /// Writes a plan in entity-group transactions of at most 100 operations in the category's partition,
    /// each ticket and the category row guarded by the ETag the pass read. A conflict surfaces as a
    /// <see cref="ConcurrencyConflictException"/>, and the pass is redone.
    /// </summary>
    /// <returns>How many transactions it took.</returns>
    public async Task<int> ApplyAsync(CategorySnapshot snapshot, RebalancePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(plan);
        var batches = Batches(snapshot, plan);
        try
        {
            await RunAsync(
                async table =>
                {
                    foreach (var batch in batches)
                    {
                        await EntityGroupTransaction.SubmitAsync(table, batch, cancellationToken).ConfigureAwait(false);
                    }

                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412 && !StorageTables.IsTableNotFound(e))
        {
            // 412: another writer moved first. 404: a row the pass read is gone (the table came back empty).
            throw new ConcurrencyConflictException($"Category {snapshot.Category.Id} changed under the pass.", e);
        }

        return batches.Count;
    }

    /// <summary>The plan as transactions: one operation per move, plus the cursor when it changed.</summary>
    public static List<List<TableTransactionAction>> Batches(CategorySnapshot snapshot, RebalancePlan plan)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(plan);
        var partition = TicketRows.CategoryPartition(snapshot.Category.Id);
        var operations = plan.Moves.Select(move => new TableTransactionAction(
            TableTransactionActionType.UpdateMerge,
            new TableEntity(partition, TicketRows.Ticket(move.TicketId))
            {
                ["OwnerId"] = move.ToOwnerId,
                ["HeldByAdmin"] = move.HeldByAdmin,
            },
            new ETag(snapshot.TicketVersions[move.TicketId]))).ToList();

        if (plan.CursorChanged)
        {
            operations.Add(new TableTransactionAction(
                TableTransactionActionType.UpdateMerge,
                new TableEntity(partition, TicketRows.CategoryRow) { ["Cursor"] = plan.Cursor },
                new ETag(snapshot.CategoryVersion)));
        }

        return [.. operations.Chunk(EntityGroupTransaction.MaxOperations).Select(chunk => chunk.ToList())];
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

    /// <summary>Writes a category with its members (and their index rows) as given.</summary>
    public Task SaveCategoryAsync(Category category, IReadOnlyCollection<CategoryMember> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(members);
        return RunAsync(table => SaveCategoryAsync(table, category, members, cancellationToken), cancellationToken);
    }

    private static async Task<bool> SaveCategoryAsync(TableClient table, Category category, IReadOnlyCollection<CategoryMember> members, CancellationToken cancellationToken)
    {
        var partition = TicketRows.CategoryPartition(category.Id);

        // Index rows first: a category row that exists always has its members findable.
        foreach (var member in members)
        {
            await table.UpsertEntityAsync(
                new MembershipEntity { PartitionKey = TicketRows.MembershipPartition(member.AssociateId), RowKey = TicketRows.Key(category.Id), CategoryId = category.Id },
                TableUpdateMode.Replace,
                cancellationToken).ConfigureAwait(false);
        }

        var rows = new List<ITableEntity>
        {
            new CategoryEntity
            {
                PartitionKey = partition,
                CategoryId = category.Id,
                Name = category.Name,
                Method = category.Method.ToString(),
                AdminId = category.AdminId,
                FallbackToAdmin = category.FallbackToAdmin,
                Cursor = category.Cursor,
            },
        };
        rows.AddRange(members.Select(m => new CategoryMemberEntity
        {
            PartitionKey = partition,
            RowKey = TicketRows.Member(m.AssociateId),
            AssociateId = m.AssociateId,
            Weight = m.Weight,
        }));
        await UpsertAsync(table, rows, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes tickets as given, grouped by category partition.</summary>
    public Task SaveTicketsAsync(IEnumerable<Ticket> tickets, CancellationToken cancellationToken)
    {
        var groups = tickets.GroupBy(t => t.CategoryId).ToList();
        return RunAsync(
            async table =>
            {
                foreach (var category in groups)
                {
                    await UpsertAsync(table, [.. category.Select(ToEntity)], cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>Every ticket, or a category's, sorted by id.</summary>
    public Task<IReadOnlyList<Ticket>> ListTicketsAsync(int? categoryId, CancellationToken cancellationToken)
    {
        var filter = categoryId is { } id
            ? $"PartitionKey eq '{TicketRows.CategoryPartition(id)}' and RowKey ge '{TicketRows.TicketPrefix}' and RowKey lt 'ticket.'"
            : $"PartitionKey ge 'category-' and PartitionKey lt 'category.' and RowKey ge '{TicketRows.TicketPrefix}' and RowKey lt 'ticket.'";
        return RunAsync<IReadOnlyList<Ticket>>(
            async table =>
            {
                var tickets = new List<Ticket>();
                await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    tickets.Add(ToTicket(row));
                }

                return [.. tickets.OrderBy(t => t.Id)];
            },
            cancellationToken);
    }

    private static async Task UpsertAsync(TableClient table, List<ITableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(EntityGroupTransaction.MaxOperations))
        {
            await EntityGroupTransaction.SubmitAsync(
                table,
                [.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r))],
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static Ticket ToTicket(TableEntity row) => new(
        row.GetInt32("TicketId") ?? int.Parse(row.RowKey.AsSpan(TicketRows.TicketPrefix.Length), CultureInfo.InvariantCulture),
        row.GetInt32("CategoryId") ?? 0,
        row.GetInt32("OwnerId") ?? 0,
        Enum.TryParse<TicketState>(row.GetString("State"), ignoreCase: true, out var state) ? state : TicketState.Open,
        row.GetBoolean("HeldByAdmin") ?? false);

    private static ServiceTicketEntity ToEntity(Ticket ticket) => new()
    {
        PartitionKey = TicketRows.CategoryPartition(ticket.CategoryId),
        RowKey = TicketRows.Ticket(ticket.Id),
        TicketId = ticket.Id,
        CategoryId = ticket.CategoryId,
        OwnerId = ticket.OwnerId,
        State = ticket.State.ToString(),
        HeldByAdmin = ticket.HeldByAdmin,
    };

    /// <summary>Every access goes through here, so a Tickets table that came back empty is recreated (and the operation retried once).</summary>
    private Task<T> RunAsync<T>(Func<TableClient, Task<T>> operation, CancellationToken cancellationToken) =>
        tables.RunAsync(tables.Names.Tickets, operation, cancellationToken);
}
