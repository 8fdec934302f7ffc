namespace PresenceFunctions.Tickets;

/// <summary>
/// Who gets which ticket, as a pure function of its data: the same category, members, presence and tickets
/// always give the same plan, and planning again after applying it gives nothing.
/// </summary>
public static class RebalancePlanner
{
    /// <summary>A whole category: every open ticket that is unassigned, held through fallback or held by a member who is away.</summary>
    public static RebalancePlan Plan(Category category, IReadOnlyCollection<CategoryMember> members, Func<int, bool> isPresent, IReadOnlyCollection<Ticket> tickets)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(isPresent);
        ArgumentNullException.ThrowIfNull(tickets);

        // The open counts a category keeps on its member rows, computed here from the tickets themselves.
        var counts = new Dictionary<int, int>(members.Count);
        foreach (var member in members)
        {
            counts[member.AssociateId] = 0;
        }

        foreach (var ticket in tickets)
        {
            if (ticket.State == TicketState.Open && !ticket.HeldByAdmin && counts.TryGetValue(ticket.OwnerId, out var count))
            {
                counts[ticket.OwnerId] = count + 1;
            }
        }

        // A member listed twice counts once, with the weight listed last (as Assign reads a list).
        var loads = members
            .GroupBy(m => m.AssociateId)
            .Select(g => new MemberLoad(g.Key, g.Last().Weight, isPresent(g.Key), counts[g.Key]))
            .ToList();
        return Assign(category, loads, tickets);
    }

    /// <summary>
    /// Finds owners for the candidates that need one (open, and unassigned, held through fallback, or held by a
    /// member who is away); the others are left where they are. Members' open counts are the load the methods
    /// balance. This is what every rule calls, with the few tickets a change concerns.
    /// </summary>
    public static RebalancePlan Assign(Category category, IReadOnlyCollection<MemberLoad> members, IReadOnlyCollection<Ticket> candidates)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(candidates);
        if (category.Method == AssignmentMethod.DoNotAssign)
        {
            return RebalancePlan.Nothing;
        }

        var weights = new Dictionary<int, int>(members.Count);
        var open = new Dictionary<int, int>();
        foreach (var member in members)
        {
            weights[member.AssociateId] = Math.Max(1, member.Weight);
            if (member.Present)
            {
                open[member.AssociateId] = Math.Max(0, member.OpenCount);
            }
            else
            {
                open.Remove(member.AssociateId);
            }
        }

        var eligible = open.Keys.Order().ToArray();

        // Misplaced: open, and unassigned, or held through fallback, or owned by a member who is away.
        // Tickets of non-members stay where they are; closed tickets never move.
        var misplaced = new List<Ticket>();
        foreach (var t in candidates)
        {
            if (t.State == TicketState.Open && (t.OwnerId == 0 || t.HeldByAdmin || (weights.ContainsKey(t.OwnerId) && !open.ContainsKey(t.OwnerId))))
            {
                misplaced.Add(t);
            }
        }

        if (misplaced.Count == 0)
        {
            return RebalancePlan.Nothing;
        }

        // In id order; a ticket given twice (two ranges that overlap) is planned once.
        misplaced.Sort((a, b) => a.Id.CompareTo(b.Id));
        misplaced = [.. misplaced.Where((t, i) => i == 0 || misplaced[i - 1].Id != t.Id)];
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
