namespace PresenceFunctions.Tickets;

/// <summary>An assignment event as it sits in its category's outbox: where its row is, what subscribers filter on, and the exact body to publish.</summary>
/// <param name="TraceParent">The W3C trace context of the request or event that caused the move, carried into the message.</param>
public sealed record TicketOutboxEvent(
    int CategoryId,
    int TicketId,
    int OwnerId,
    long AssignmentVersion,
    string EventId,
    string RowKey,
    string Body,
    string? TraceParent = null);
