namespace PresenceFunctions.Tickets;

/// <summary>The data of a <c>SuperOffice.Ticket.Assigned</c> event (see docs/events.md).</summary>
/// <param name="OwnerId">The new owner; 0 when the ticket went back to the backlog.</param>
/// <param name="Reason"><c>arrival</c>, <c>presence</c>, <c>message</c>, <c>fallback</c> or <c>category</c> (<see cref="AssignmentReason"/>).</param>
/// <param name="CausedBy">The id of the presence event (<c>presence-{associateId}-{version}</c>) or of the request (<c>request-{traceId}</c>) that caused it.</param>
/// <param name="AssignmentVersion">Counts the ticket's assignment changes; with the ticket id it makes the event id.</param>
public sealed record TicketAssignedData(
    int TicketId,
    int CategoryId,
    int OwnerId,
    int PreviousOwnerId,
    string Reason,
    string CausedBy,
    long AssignmentVersion,
    DateTimeOffset AssignedAt);
