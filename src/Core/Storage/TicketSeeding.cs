using Azure.Data.Tables;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>
/// Writes categories and tickets as given (<c>presence seed</c>, tests, benchmarks): index rows, counts, registry and
/// locators follow, but nothing is assigned and no event is written. Also the listing <c>presence tickets</c> reads.
/// </summary>
public sealed partial class TicketStore
{
    /// <summary>Members as present since presence version 0, as for someone whose presence was never set.</summary>
    public Task SaveCategoryAsync(Category category, IReadOnlyCollection<CategoryMember> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        return SeedCategoryAsync(category, [.. members.Select(m => new StoredMember(m.AssociateId, m.Weight, StoredMember.PresentStatus, 0, 0))], cancellationToken);
    }

    /// <summary>The category row, its members with the presence given, and their membership index rows; a member's open count is taken from the index.</summary>
    public async Task SeedCategoryAsync(Category category, IReadOnlyCollection<StoredMember> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(members);
        await RegisterCategoryAsync(category.Id, cancellationToken).ConfigureAwait(false);
        var view = await ReadCategoryAsync(category.Id, cancellationToken).ConfigureAwait(false);
        var stored = (view?.Members ?? []).ToDictionary(m => m.AssociateId);
        var removed = stored.Keys.Except(members.Select(m => m.AssociateId)).ToList();

        // Index rows first: a member row that exists always has its category findable.
        await SetMembershipAsync(category.Id, [.. members.Select(m => m.AssociateId)], [], cancellationToken).ConfigureAwait(false);
        var upserts = new List<StoredMember>();
        foreach (var member in members)
        {
            var open = stored.TryGetValue(member.AssociateId, out var known)
                ? known.OpenCount
                : view is null ? 0 : (await ReadOpenAsync(category.Id, member.AssociateId, false, cancellationToken).ConfigureAwait(false)).Count;
            upserts.Add(member with { OpenCount = open });
        }

        await CommitAsync(new PartitionWrite(category.Id, view, category with { Cursor = view?.Category.Cursor ?? category.Cursor }, upserts, removed, [], null), cancellationToken).ConfigureAwait(false);
        await SetMembershipAsync(category.Id, [], removed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tickets as given, by category (which must exist); their locators point at it.</summary>
    public async Task SaveTicketsAsync(IEnumerable<Ticket> tickets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        foreach (var group in tickets.GroupBy(t => t.CategoryId))
        {
            var view = await ReadCategoryAsync(group.Key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Category {group.Key} does not exist.");
            var existing = (await ReadTicketPageAsync(group.Key, null, null, 0, int.MaxValue, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.TicketId);
            var writes = group.Select(t =>
            {
                var before = existing.GetValueOrDefault(t.Id);
                var after = new TicketDetails(t.Id, t.CategoryId, t.OwnerId, t.State, t.HeldByAdmin, before?.AssignmentVersion ?? 0, before?.Reason, before?.CausedBy, before?.AssignedAt);
                return new TicketWrite(before, after, null);
            }).ToList();
            await RunAsync(
                async table =>
                {
                    await Parallel.ForEachAsync(
                        group,
                        new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                        async (t, ct) => await table.UpsertEntityAsync(
                            new TicketLocatorEntity { PartitionKey = TicketRows.LocatorPartition(t.Id), TicketId = t.Id, CategoryId = t.CategoryId },
                            TableUpdateMode.Replace,
                            ct).ConfigureAwait(false)).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            await CommitAsync(PartitionWrite.OfTickets(view, writes, null), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every ticket (open and closed), or a category's, sorted by id. A listing for operators: it reads every ticket row.</summary>
    public Task<IReadOnlyList<TicketDetails>> ListTicketsAsync(int? categoryId, CancellationToken cancellationToken)
    {
        var filter = (categoryId is { } id
                ? $"PartitionKey eq '{TicketRows.CategoryPartition(id)}'"
                : "PartitionKey ge 'category-' and PartitionKey lt 'category.'")
            + $" and RowKey ge '{TicketRows.TicketPrefix}' and RowKey lt '{TicketRows.End(TicketRows.TicketPrefix)}'";
        return RunAsync<IReadOnlyList<TicketDetails>>(
            async table =>
            {
                var tickets = new List<TicketDetails>();
                await foreach (var row in table.QueryAsync<ServiceTicketEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    tickets.Add(row.ToDetails());
                }

                return [.. tickets.OrderBy(t => t.TicketId)];
            },
            cancellationToken);
    }
}
