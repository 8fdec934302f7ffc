namespace PresenceFunctions.Tickets;

/// <summary>
/// One category as a pass read it: the data to plan on, and the storage's version tokens (ETags, opaque here)
/// that the pass writes with, so a writer that moved first makes the pass redo.
/// </summary>
public sealed record CategorySnapshot(
    Category Category,
    string CategoryVersion,
    IReadOnlyList<CategoryMember> Members,
    IReadOnlyList<Ticket> OpenTickets,
    IReadOnlyDictionary<int, string> TicketVersions);
