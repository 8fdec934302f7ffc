namespace PresenceFunctions.Tickets;

/// <summary>
/// When a ticket needs an owner (SuperOffice Service's rules), as pure functions over what a change concerns.
/// Each returns the plan <see cref="RebalancePlanner.Assign"/> makes for the tickets the rule selects; the
/// reason of a move is the rule's, or <see cref="AssignmentReason.Fallback"/> when nobody present took it.
/// </summary>
public static class TicketRules
{
    /// <summary>
    /// A ticket arrives (created, reopened, re-categorised or given another owner): an Open ticket with no owner,
    /// or whose owner is a member who is away, is assigned by the method; a present owner, or one who is not a
    /// member, is kept. With nobody present it goes to the admin when the category falls back to them, else it waits
    /// in the backlog (or goes back to it, from a member who is away). <see cref="AssignmentMethod.DoNotAssign"/> never assigns.
    /// </summary>
    public static RebalancePlan OnArrival(Category category, IReadOnlyCollection<MemberLoad> members, Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.State != TicketState.Open || (ticket.OwnerId != 0 && !IsAwayMember(members, ticket.OwnerId)))
        {
            return RebalancePlan.Nothing;
        }

        var plan = RebalancePlanner.Assign(category, members, [ticket with { HeldByAdmin = false }]);

        // With nobody present a new request is the admin's to hold when the category falls back to them,
        // as work taken from someone away is; the planner leaves the backlog alone, so that case is here.
        return plan.IsEmpty && ticket.OwnerId == 0 && category.Method != AssignmentMethod.DoNotAssign
            && category.FallbackToAdmin && category.AdminId > 0 && !members.Any(m => m.Present)
                ? new RebalancePlan([new TicketMove(ticket.Id, 0, category.AdminId, HeldByAdmin: true)], category.Cursor, CursorChanged: false)
                : plan;
    }

    /// <summary>A new message to an Open ticket whose owner is a member who is away moves it, when the category says so.</summary>
    public static RebalancePlan OnNewMessage(Category category, IReadOnlyCollection<MemberLoad> members, Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(ticket);
        return category.ReassignOnNewMessage && ticket.State == TicketState.Open && !ticket.HeldByAdmin && IsAwayMember(members, ticket.OwnerId)
            ? RebalancePlanner.Assign(category, members, [ticket])
            : RebalancePlan.Nothing;
    }

    /// <summary>
    /// Which tickets a member's presence change concerns, given the members with that change applied: their own
    /// open tickets when they went away; the backlog and what the admin holds through fallback when they came back.
    /// </summary>
    public static PresenceScope ScopeOfPresenceChange(Category category, MemberLoad changed)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(changed);
        if (!category.RebalanceOnPresence || category.Method == AssignmentMethod.DoNotAssign)
        {
            return PresenceScope.Nothing;
        }

        return changed.Present ? PresenceScope.BacklogAndFallback : PresenceScope.OwnTickets;
    }

    /// <summary>The reason a move is published with: the rule's, unless nobody present took the ticket.</summary>
    public static AssignmentReason ReasonFor(TicketMove move, AssignmentReason rule)
    {
        ArgumentNullException.ThrowIfNull(move);
        return move.ToOwnerId == 0 || move.HeldByAdmin ? AssignmentReason.Fallback : rule;
    }

    private static bool IsAwayMember(IReadOnlyCollection<MemberLoad> members, int associateId)
    {
        ArgumentNullException.ThrowIfNull(members);
        return associateId != 0 && members.Any(m => m.AssociateId == associateId && !m.Present);
    }
}

/// <summary>The tickets a presence pass reads: it never reads the category's other tickets.</summary>
public enum PresenceScope
{
    /// <summary>The category does not rebalance on presence (or never assigns).</summary>
    Nothing,

    /// <summary>The member went away: their open tickets (not what they hold as admin through fallback).</summary>
    OwnTickets,

    /// <summary>The member came back: the unassigned backlog and the tickets the admin holds through fallback.</summary>
    BacklogAndFallback,
}
