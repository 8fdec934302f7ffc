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

/// <summary>A ticket category.</summary>
/// <param name="AdminId">Receives work when no member is present, if <paramref name="FallbackToAdmin"/>; 0 for none.</param>
/// <param name="Cursor">For <see cref="AssignmentMethod.Even"/>: the associate who got the last ticket.</param>
public sealed record Category(int Id, string Name, AssignmentMethod Method, int AdminId, bool FallbackToAdmin, int Cursor);

/// <summary>A member of a category; weight (at least 1) matters for <see cref="AssignmentMethod.Weighted"/>.</summary>
public sealed record CategoryMember(int AssociateId, int Weight);

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
