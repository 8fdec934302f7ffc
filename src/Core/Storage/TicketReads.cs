using Azure.Data.Tables;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>Reads: a point read of the category row, one range of member rows, and key ranges of the open index. Nothing scans tickets.</summary>
public sealed partial class TicketStore
{
    /// <summary>Member rows come in pages of 1,000 (the service's maximum).</summary>
    private const int MemberPage = 1000;

    public Task<CategoryView?> ReadCategoryAsync(int categoryId, CancellationToken cancellationToken) =>
        RunAsync(table => ReadCategoryAsync(table, categoryId, cancellationToken), cancellationToken);

    private static async Task<CategoryView?> ReadCategoryAsync(TableClient table, int categoryId, CancellationToken cancellationToken)
    {
        var partition = TicketRows.CategoryPartition(categoryId);
        var row = await table.GetEntityIfExistsAsync<CategoryEntity>(partition, TicketRows.CategoryRow, cancellationToken: cancellationToken).ConfigureAwait(false);

        // Queried even for an unknown category: a point read answers "no such row" on a missing table, a query throws, so the table is recreated.
        var members = new List<StoredMember>();
        var filter = $"PartitionKey eq '{partition}' and RowKey ge '{TicketRows.MemberPrefix}' and RowKey lt '{TicketRows.End(TicketRows.MemberPrefix)}'";
        await foreach (var m in table.QueryAsync<CategoryMemberEntity>(filter, MemberPage, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            members.Add(new StoredMember(m.AssociateId, m.Weight, m.Status, m.PresenceVersion, m.OpenCount));
        }

        if (!row.HasValue || row.Value is not { } head)
        {
            return null;
        }

        var category = new Category(
            categoryId,
            head.Name,
            Enum.TryParse<AssignmentMethod>(head.Method, ignoreCase: true, out var method) ? method : AssignmentMethod.DoNotAssign,
            head.AdminId,
            head.FallbackToAdmin,
            head.Cursor,
            head.RebalanceOnPresence,
            head.ReassignOnNewMessage);
        return new CategoryView(category, head.BacklogCount, head.HeldCount, members, head.ETag.ToString());
    }

    public Task<bool> CategoryExistsAsync(int categoryId, CancellationToken cancellationToken) =>
        RunAsync(
            async table => (await table.GetEntityIfExistsAsync<CategoryEntity>(TicketRows.CategoryPartition(categoryId), TicketRows.CategoryRow, select: ["CategoryId"], cancellationToken: cancellationToken).ConfigureAwait(false)).HasValue,
            cancellationToken);

    public Task<IReadOnlyList<TicketDetails>> ReadOpenAsync(int categoryId, int ownerId, bool? heldByAdmin, CancellationToken cancellationToken)
    {
        var prefix = TicketRows.OpenOf(ownerId);
        var filter = $"PartitionKey eq '{TicketRows.CategoryPartition(categoryId)}' and RowKey ge '{prefix}' and RowKey lt '{TicketRows.End(prefix)}'"
            + (heldByAdmin is { } held ? $" and HeldByAdmin eq {(held ? "true" : "false")}" : "");
        return QueryAsync(filter, int.MaxValue, cancellationToken);
    }

    public Task<IReadOnlyList<TicketDetails>> ReadOpenPageAsync(int categoryId, int ownerId, int afterTicketId, int take, CancellationToken cancellationToken)
    {
        var prefix = TicketRows.OpenOf(ownerId);
        var filter = $"PartitionKey eq '{TicketRows.CategoryPartition(categoryId)}' and RowKey gt '{TicketRows.Open(ownerId, afterTicketId)}' and RowKey lt '{TicketRows.End(prefix)}'";
        return QueryAsync(filter, take, cancellationToken);
    }

    /// <summary>Ticket rows in id order; the owner and state filters run server-side (a listing, not a pass).</summary>
    public Task<IReadOnlyList<TicketDetails>> ReadTicketPageAsync(int categoryId, int? ownerId, TicketState? state, int afterTicketId, int take, CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey eq '{TicketRows.CategoryPartition(categoryId)}' and RowKey gt '{TicketRows.Ticket(afterTicketId)}' and RowKey lt '{TicketRows.End(TicketRows.TicketPrefix)}'"
            + (ownerId is { } owner ? $" and OwnerId eq {owner}" : "")
            + (state is { } s ? $" and State eq '{s}'" : "");
        return QueryAsync(filter, take, cancellationToken);
    }

    public Task<TicketDetails?> ReadTicketAsync(int categoryId, int ticketId, CancellationToken cancellationToken) =>
        RunAsync(
            async table =>
            {
                var row = await table.GetEntityIfExistsAsync<ServiceTicketEntity>(TicketRows.CategoryPartition(categoryId), TicketRows.Ticket(ticketId), cancellationToken: cancellationToken).ConfigureAwait(false);
                return row.HasValue && row.Value is { } ticket ? ticket.ToDetails() : null;
            },
            cancellationToken);

    private Task<IReadOnlyList<TicketDetails>> QueryAsync(string filter, int take, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<TicketDetails>>(
            async table =>
            {
                var tickets = new List<TicketDetails>();
                if (take <= 0)
                {
                    return tickets;
                }

                await foreach (var row in table.QueryAsync<ServiceTicketEntity>(filter, Math.Min(take, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    tickets.Add(row.ToDetails());
                    if (tickets.Count >= take)
                    {
                        break;
                    }
                }

                return tickets;
            },
            cancellationToken);
}
