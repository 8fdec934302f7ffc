using Azure;

namespace PresenceFunctions.Rebalancing;

/// <summary>One category partition as a pass read it: the data to plan on, and the ETags to write with.</summary>
public sealed record CategorySnapshot(
    Category Category,
    ETag CategoryETag,
    IReadOnlyList<CategoryMember> Members,
    IReadOnlyList<Ticket> OpenTickets,
    IReadOnlyDictionary<int, ETag> TicketETags);
