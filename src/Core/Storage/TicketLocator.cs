using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>The locator row (partition <c>ticket-{id}</c>): which category holds a ticket, and a category move in flight.</summary>
public sealed partial class TicketStore
{
    public Task<TicketLocation?> ReadLocationAsync(int ticketId, CancellationToken cancellationToken) =>
        RunAsync(
            async table =>
            {
                var row = await table.GetEntityIfExistsAsync<TicketLocatorEntity>(TicketRows.LocatorPartition(ticketId), TicketRows.LocatorRow, cancellationToken: cancellationToken).ConfigureAwait(false);
                return row.HasValue && row.Value is { } found ? ToLocation(found) : null;
            },
            cancellationToken);

    public async Task<TicketLocation> WriteLocationAsync(TicketLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var row = new TicketLocatorEntity
        {
            PartitionKey = TicketRows.LocatorPartition(location.TicketId),
            TicketId = location.TicketId,
            CategoryId = location.CategoryId,
            PreviousCategoryId = location.PreviousCategoryId,
            RequestedOwnerId = location.RequestedOwnerId,
            RequestedState = location.RequestedState?.ToString(),
            CausedBy = location.CausedBy,
        };
        try
        {
            var response = await RunAsync(
                table => location.Version is { } version
                    ? table.UpdateEntityAsync(row, new ETag(version), TableUpdateMode.Replace, cancellationToken)
                    : table.AddEntityAsync(row, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return location with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412 && !StorageTables.IsTableNotFound(e))
        {
            throw new ConcurrencyConflictException($"Ticket {location.TicketId} moved under the change.", e);
        }
    }

    private static TicketLocation ToLocation(TicketLocatorEntity row) => new(
        row.TicketId,
        row.CategoryId,
        row.PreviousCategoryId,
        row.RequestedOwnerId,
        Enum.TryParse<TicketState>(row.RequestedState, ignoreCase: true, out var state) ? state : null,
        row.CausedBy,
        row.ETag.ToString());
}
