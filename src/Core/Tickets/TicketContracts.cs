namespace PresenceFunctions.Tickets;

/// <summary>A category as an administrator PUTs it: settings and the full member list.</summary>
public sealed record CategorySettings(
    int Id,
    string Name,
    AssignmentMethod Method,
    int AdminId,
    bool FallbackToAdmin,
    bool RebalanceOnPresence,
    bool ReassignOnNewMessage,
    IReadOnlyList<CategoryMember> Members);

/// <summary>A member as answered: weight, presence as last applied, and the open tickets they hold in the category.</summary>
public sealed record MemberDetails(int AssociateId, int Weight, bool Present, int OpenCount);

public sealed record CategoryDetails(
    int Id,
    string Name,
    AssignmentMethod Method,
    int AdminId,
    bool FallbackToAdmin,
    bool RebalanceOnPresence,
    bool ReassignOnNewMessage,
    IReadOnlyList<MemberDetails> Members,
    int BacklogCount,
    int HeldCount);

/// <summary>Null fields: keep what is stored (a new ticket: CategoryId required, OwnerId 0, State Open).</summary>
public sealed record TicketChange(int TicketId, int? CategoryId, int? OwnerId, TicketState? State);

/// <summary>A stored ticket: where it is, who holds it, and the last assignment change (version, why, what caused it, when).</summary>
public sealed record TicketDetails(
    int TicketId,
    int CategoryId,
    int OwnerId,
    TicketState State,
    bool HeldByAdmin,
    long AssignmentVersion,
    string? Reason,
    string? CausedBy,
    DateTimeOffset? AssignedAt)
{
    public Ticket Ticket => new(TicketId, CategoryId, OwnerId, State, HeldByAdmin);
}

public sealed record TicketPage(IReadOnlyList<TicketDetails> Tickets, string? ContinuationToken);
