namespace PresenceFunctions.Tickets;

/// <summary>A plan's moves as ticket writes: each bumps the assignment version and carries its event.</summary>
public static class TicketMoves
{
    public static List<TicketWrite> Writes(IReadOnlyDictionary<int, TicketDetails> tickets, RebalancePlan plan, AssignmentReason rule, string causedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Moves.Select(move =>
        {
            var before = tickets[move.TicketId];
            var after = before with
            {
                OwnerId = move.ToOwnerId,
                HeldByAdmin = move.HeldByAdmin,
                AssignmentVersion = before.AssignmentVersion + 1,
                Reason = TicketAssignedEvent.ReasonName(TicketRules.ReasonFor(move, rule)),
                CausedBy = causedBy,
                AssignedAt = now,
            };
            return new TicketWrite(before, after, EventOf(after, before.OwnerId));
        })];
    }

    /// <summary>The event announcing <paramref name="after"/>, the ticket as its assignment change left it.</summary>
    public static TicketAssignedData EventOf(TicketDetails after, int previousOwnerId)
    {
        ArgumentNullException.ThrowIfNull(after);
        return new TicketAssignedData(
            after.TicketId,
            after.CategoryId,
            after.OwnerId,
            previousOwnerId,
            after.Reason ?? "",
            after.CausedBy ?? "",
            after.AssignmentVersion,
            after.AssignedAt ?? DateTimeOffset.UnixEpoch);
    }
}
