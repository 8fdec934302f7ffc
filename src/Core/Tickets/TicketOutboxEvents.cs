using System.Text;

namespace PresenceFunctions.Tickets;

/// <summary>Builds the outbox event of one assignment change: the row it goes in and the exact CloudEvent body.</summary>
public static class TicketOutboxEvents
{
    /// <param name="rowKey">Where the store keeps it (Storage/TicketRows.Outbox).</param>
    public static TicketOutboxEvent Create(TicketAssignedData data, string rowKey, string? traceParent)
    {
        ArgumentNullException.ThrowIfNull(data);
        var body = Encoding.UTF8.GetString(TicketAssignedEvent.Encode(TicketAssignedEvent.Create(data)));
        return new TicketOutboxEvent(
            data.CategoryId,
            data.TicketId,
            data.OwnerId,
            data.AssignmentVersion,
            TicketAssignedEvent.IdFor(data.TicketId, data.AssignmentVersion),
            rowKey,
            body,
            traceParent);
    }
}
