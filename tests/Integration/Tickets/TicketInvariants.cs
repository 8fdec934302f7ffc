using System.Globalization;
using Azure.Data.Tables;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>
/// What must hold in the Tickets table after every change, read straight from the rows: every open ticket has exactly
/// one index row (under its owner, fallback mark alike), no index row without one, the counts equal the index, and
/// every ticket lives in exactly one category, the one its locator names.
/// </summary>
public static class TicketInvariants
{
    public static async Task<TableClient> TicketsTableAsync(this TestApi api)
    {
        var tables = api.Get<StorageTables>();
        return await tables.GetAsync(tables.Names.Tickets, TestContext.Current.CancellationToken);
    }

    public static async Task AssertConsistentAsync(this TestApi api)
    {
        var table = await api.TicketsTableAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        foreach (var partition in rows.Where(r => r.PartitionKey.StartsWith("category-", StringComparison.Ordinal)).GroupBy(r => r.PartitionKey))
        {
            AssertPartition(partition.Key, [.. partition]);
        }

        var tickets = rows.Where(r => r.PartitionKey.StartsWith("category-", StringComparison.Ordinal) && r.RowKey.StartsWith(TicketRows.TicketPrefix, StringComparison.Ordinal)).ToList();
        foreach (var ticket in tickets.GroupBy(t => t.GetInt32("TicketId")))
        {
            var where = Assert.Single(ticket);
            var locator = rows.SingleOrDefault(r => r.PartitionKey == TicketRows.LocatorPartition(ticket.Key!.Value) && r.RowKey == TicketRows.LocatorRow);
            Assert.True(locator is not null, $"ticket {ticket.Key} has no locator");
            Assert.Equal(TicketRows.CategoryPartition(locator.GetInt32("CategoryId")!.Value), where.PartitionKey);
            Assert.Null(locator.GetInt32("PreviousCategoryId"));
        }
    }

    private static void AssertPartition(string partition, List<TableEntity> rows)
    {
        var category = rows.SingleOrDefault(r => r.RowKey == TicketRows.CategoryRow);
        Assert.True(category is not null, $"{partition} has no category row");
        var open = rows.Where(r => r.RowKey.StartsWith(TicketRows.TicketPrefix, StringComparison.Ordinal) && r.GetString("State") == "Open").ToList();
        var index = rows.Where(r => r.RowKey.StartsWith(TicketRows.OpenPrefix, StringComparison.Ordinal)).ToList();
        var expected = open.Select(t => TicketRows.Open(t.GetInt32("OwnerId")!.Value, t.GetInt32("TicketId")!.Value)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, index.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        foreach (var ticket in open)
        {
            var entry = index.Single(r => r.RowKey == TicketRows.Open(ticket.GetInt32("OwnerId")!.Value, ticket.GetInt32("TicketId")!.Value));
            Assert.Equal(ticket.GetBoolean("HeldByAdmin"), entry.GetBoolean("HeldByAdmin"));
            Assert.Equal(ticket.GetInt64("AssignmentVersion"), entry.GetInt64("AssignmentVersion"));
        }

        var held = open.Where(t => t.GetBoolean("HeldByAdmin") == true).ToList();
        Assert.All(held, t => Assert.Equal(category.GetInt32("AdminId"), t.GetInt32("OwnerId")));
        Assert.True(held.Count == category.GetInt32("HeldCount"), $"{partition}: HeldCount {category.GetInt32("HeldCount")}, held tickets {held.Count}");
        var backlog = open.Count(t => t.GetInt32("OwnerId") == 0);
        Assert.True(backlog == category.GetInt32("BacklogCount"), $"{partition}: BacklogCount {category.GetInt32("BacklogCount")}, unassigned tickets {backlog}");
        foreach (var member in rows.Where(r => r.RowKey.StartsWith(TicketRows.MemberPrefix, StringComparison.Ordinal)))
        {
            var id = member.GetInt32("AssociateId")!.Value;
            var owned = index.Count(r => r.RowKey.StartsWith(TicketRows.OpenOf(id), StringComparison.Ordinal) && r.GetBoolean("HeldByAdmin") != true);
            Assert.True(owned == member.GetInt32("OpenCount"), string.Create(CultureInfo.InvariantCulture, $"{partition}: member {id} OpenCount {member.GetInt32("OpenCount")}, index rows {owned}"));
        }
    }
}
