namespace PresenceFunctions.Tickets;

/// <summary>How a category hands out requests (SuperOffice Service's assignment methods).</summary>
public enum AssignmentMethod
{
    Even,
    Weighted,
    FewestOpen,
    DoNotAssign,
}

public enum TicketState
{
    Open,
    Closed,
}

/// <summary>Why a ticket got the owner it has (the <c>reason</c> of a <c>SuperOffice.Ticket.Assigned</c> event).</summary>
public enum AssignmentReason
{
    /// <summary>The ticket arrived (created, reopened or given an owner) and was assigned by the category's rule.</summary>
    Arrival,

    /// <summary>A member's presence changed.</summary>
    Presence,

    /// <summary>A new message arrived while its owner was away.</summary>
    Message,

    /// <summary>Nobody was present: the admin holds it, or it went back to the backlog.</summary>
    Fallback,

    /// <summary>The ticket moved to another category, or the category's members or method changed.</summary>
    Category,
}

/// <summary>A ticket category.</summary>
/// <param name="AdminId">Receives work when no member is present, if <paramref name="FallbackToAdmin"/>; 0 for none.</param>
/// <param name="Cursor">For <see cref="AssignmentMethod.Even"/>: the associate who got the last ticket.</param>
/// <param name="RebalanceOnPresence">Whether a member's presence change moves tickets.</param>
/// <param name="ReassignOnNewMessage">Whether a new message to a ticket whose owner is away moves it.</param>
public sealed record Category(
    int Id,
    string Name,
    AssignmentMethod Method,
    int AdminId,
    bool FallbackToAdmin,
    int Cursor,
    bool RebalanceOnPresence = true,
    bool ReassignOnNewMessage = true);

/// <summary>A member of a category; weight (at least 1) matters for <see cref="AssignmentMethod.Weighted"/>.</summary>
public sealed record CategoryMember(int AssociateId, int Weight);

/// <summary>
/// A member as a pass plans on it: weight, whether they are present (as last applied from presence events),
/// and how many open tickets of the category they hold (not counting what the admin holds through fallback).
/// </summary>
public sealed record MemberLoad(int AssociateId, int Weight, bool Present, int OpenCount);

/// <summary>A ticket (request). Owner 0 is unassigned; <paramref name="HeldByAdmin"/> marks the admin holding it through fallback.</summary>
public sealed record Ticket(int Id, int CategoryId, int OwnerId, TicketState State, bool HeldByAdmin = false);

/// <summary>One ticket changing hands in a pass.</summary>
public sealed record TicketMove(int TicketId, int FromOwnerId, int ToOwnerId, bool HeldByAdmin);

/// <summary>What one pass decided: the moves, and the round-robin cursor to save with them.</summary>
public sealed record RebalancePlan(IReadOnlyList<TicketMove> Moves, int Cursor, bool CursorChanged)
{
    public static readonly RebalancePlan Nothing = new([], 0, false);

    public bool IsEmpty => Moves.Count == 0 && !CursorChanged;
}
