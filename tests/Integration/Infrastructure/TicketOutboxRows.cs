using Azure.Data.Tables;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>Ticket outbox rows and category registry rows written straight into the test's Tickets table, as the ticket store commits them.</summary>
public static class TicketOutboxRows
{
    public static async Task<TableClient> TableAsync(TestApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var tables = api.Get<StorageTables>();
        return await tables.GetAsync(tables.Names.Tickets, TestContext.Current.CancellationToken);
    }

    /// <summary>One pending assignment event, and its category in the registry.</summary>
    public static async Task<TicketOutboxEvent> WriteAsync(TestApi api, int categoryId, int ticketId, long version, int ownerId, DateTimeOffset createdAt, string? traceParent = null)
    {
        var data = new TicketAssignedData(ticketId, categoryId, ownerId, 0, "arrival", "request-test", version, createdAt);
        var outboxEvent = TicketOutboxEvents.Create(data, TicketRows.Outbox(ticketId, version), traceParent);
        var table = await TableAsync(api);
        var ct = TestContext.Current.CancellationToken;
        await table.UpsertEntityAsync(TicketOutboxEntity.From(outboxEvent, createdAt), TableUpdateMode.Replace, ct);
        await table.UpsertEntityAsync(new TableEntity(TicketRows.CategoriesPartition, TicketRows.Key(categoryId)), TableUpdateMode.Replace, ct);
        return outboxEvent;
    }

    /// <summary>The RowKeys of a category's pending events.</summary>
    public static async Task<List<string>> PendingAsync(TestApi api, int categoryId)
    {
        var table = await TableAsync(api);
        var rows = new List<string>();
        var filter = $"PartitionKey eq '{TicketRows.CategoryPartition(categoryId)}' and RowKey ge 'outbox-' and RowKey lt 'outbox.'";
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: TestContext.Current.CancellationToken))
        {
            rows.Add(row.RowKey);
        }

        return rows;
    }
}
