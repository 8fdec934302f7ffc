using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>
/// An assignment event waiting in its category's partition (<c>outbox-{ticketId}-{assignmentVersion}</c>), written in
/// the same transaction as the move it announces and deleted once the topic accepted it.
/// </summary>
public sealed class TicketOutboxEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string EventId { get; set; } = "";

    public int CategoryId { get; set; }

    public int TicketId { get; set; }

    public int OwnerId { get; set; }

    public long AssignmentVersion { get; set; }

    /// <summary>The CloudEvent in structured JSON, exactly as it is published.</summary>
    public string CloudEvent { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The W3C trace context of the request or event that caused the move.</summary>
    public string? TraceParent { get; set; }

    public static TicketOutboxEntity From(TicketOutboxEvent outboxEvent, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        return new TicketOutboxEntity
        {
            PartitionKey = TicketRows.CategoryPartition(outboxEvent.CategoryId),
            RowKey = outboxEvent.RowKey,
            EventId = outboxEvent.EventId,
            CategoryId = outboxEvent.CategoryId,
            TicketId = outboxEvent.TicketId,
            OwnerId = outboxEvent.OwnerId,
            AssignmentVersion = outboxEvent.AssignmentVersion,
            CloudEvent = outboxEvent.Body,
            CreatedAt = createdAt,
            TraceParent = outboxEvent.TraceParent,
        };
    }

    public TicketOutboxEvent ToEvent() => new(CategoryId, TicketId, OwnerId, AssignmentVersion, EventId, RowKey, CloudEvent, TraceParent);
}
