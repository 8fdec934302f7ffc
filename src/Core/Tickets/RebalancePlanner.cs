namespace PresenceFunctions.Tickets;

/// <summary>
/// One rebalance pass over one category, as a pure function of its data: the same category, members,
/// presence and tickets always give the same plan, and planning again after applying it gives nothing.
/// </summary>
public static class RebalancePlanner
{
    public static RebalancePlan Plan(Category category, IReadOnlyCollection<CategoryMember> members, Func<int, bool> isPresent, IReadOnlyCollection<Ticket> tickets)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(isPresent);
        ArgumentNullException.ThrowIfNull(tickets);
        if (category.Method == AssignmentMethod.DoNotAssign)
        {
            return RebalancePlan.Nothing;
        }

        var weights = new Dictionary<int, int>(members.Count);
        foreach (var member in members)
        {
            weights[member.AssociateId] = Math.Max(1, member.Weight);
        }

        var eligible = weights.Keys.Where(isPresent).Order().ToArray();
        var eligibleSet = eligible.ToHashSet();

        // Misplaced: open, and unassigned, or held through fallback, or owned by a member who is away.
        // Tickets of non-members stay where they are; closed tickets never move.
        var misplaced = new List<Ticket>();
        var open = eligible.ToDictionary(id => id, _ => 0);
        foreach (var ticket in tickets)
        {
            if (ticket.State != TicketState.Open)
            {
                continue;
            }

            if (ticket.OwnerId == 0 || ticket.HeldByAdmin || (weights.ContainsKey(ticket.OwnerId) && !eligibleSet.Contains(ticket.OwnerId)))
            {
                misplaced.Add(ticket);
            }
            else if (open.TryGetValue(ticket.OwnerId, out var count))
            {
                open[ticket.OwnerId] = count + 1;
            }
        }

        if (misplaced.Count == 0)
        {
            return RebalancePlan.Nothing;
        }

        misplaced.Sort((a, b) => a.Id.CompareTo(b.Id));
        return eligible.Length == 0
            ? PlanWithNobodyPresent(category, weights, misplaced)
            : PlanAssignments(category, eligible, weights, open, misplaced);
    }

    /// <summary>Work held by someone away goes to the admin (or back to nobody); everything else stays put.</summary>
    private static RebalancePlan PlanWithNobodyPresent(Category category, Dictionary<int, int> weights, List<Ticket> misplaced)
    {
        var toAdmin = category.FallbackToAdmin && category.AdminId > 0;
        var moves = misplaced
            .Where(t => t.OwnerId != 0 && !t.HeldByAdmin && weights.ContainsKey(t.OwnerId))
            .Select(t => new TicketMove(t.Id, t.OwnerId, toAdmin ? category.AdminId : 0, HeldByAdmin: toAdmin))
            .ToList();
        return new RebalancePlan(moves, category.Cursor, CursorChanged: false);
    }

    private static RebalancePlan PlanAssignments(Category category, int[] eligible, Dictionary<int, int> weights, Dictionary<int, int> open, List<Ticket> misplaced)
    {
        var choose = category.Method switch
        {
            AssignmentMethod.FewestOpen => ByLoad(eligible, open, id => 1),
            AssignmentMethod.Weighted => ByLoad(eligible, open, id => weights[id]),
            _ => RoundRobin(eligible, category.Cursor),
        };

        var moves = new List<TicketMove>(misplaced.Count);
        var cursor = category.Cursor;
        foreach (var ticket in misplaced)
        {
            var assignee = choose();
            cursor = assignee;
            moves.Add(new TicketMove(ticket.Id, ticket.OwnerId, assignee, HeldByAdmin: false));
        }

        var even = category.Method == AssignmentMethod.Even;
        return new RebalancePlan(moves, even ? cursor : category.Cursor, CursorChanged: even && cursor != category.Cursor);
    }

    /// <summary>
    /// The member with the smallest (open + 1) / weight, ties to the lower id; with weight 1 for all,
    /// that is the fewest open tickets. A priority queue keeps a 100,000-ticket pass to n log m.
    /// </summary>
    private static Func<int> ByLoad(int[] eligible, Dictionary<int, int> open, Func<int, int> weight)
    {
        var queue = new PriorityQueue<int, Load>(eligible.Select(id => (id, new Load(open[id] + 1, weight(id), id))));
        return () =>
        {
            var id = queue.Dequeue();
            open[id]++;
            queue.Enqueue(id, new Load(open[id] + 1, weight(id), id));
            return id;
        };
    }

    /// <summary>Members in ascending id, starting after the one who got the last ticket.</summary>
    private static Func<int> RoundRobin(int[] eligible, int cursor)
    {
        var next = Array.BinarySearch(eligible, cursor);
        next = next >= 0 ? next + 1 : ~next;
        return () =>
        {
            var id = eligible[next % eligible.Length];
            next = (next % eligible.Length) + 1;
            return id;
        };
    }

    /// <summary>(open + 1) / weight compared as exact fractions, then by associate id.</summary>
    private readonly record struct Load(long Numerator, long Denominator, int AssociateId) : IComparable<Load>
    {
        public int CompareTo(Load other)
        {
            var byRatio = (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);
            return byRatio != 0 ? byRatio : AssociateId.CompareTo(other.AssociateId);
        }
    }
}
