using FsCheck;
using FsCheck.Fluent;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Unit.Tickets;

/// <summary>A category with its members, who is present, and its tickets: everything a pass plans on.</summary>
public sealed record Scenario(Category Category, IReadOnlyList<CategoryMember> Members, IReadOnlySet<int> Present, IReadOnlyList<Ticket> Tickets)
{
    public const int NonMember = 7;
    public const int Admin = 9;

    public RebalancePlan Plan() => RebalancePlanner.Plan(Category, Members, Present.Contains, Tickets);

    /// <summary>The scenario after its plan was written.</summary>
    public Scenario Apply(RebalancePlan plan)
    {
        var moves = plan.Moves.ToDictionary(m => m.TicketId);
        return this with
        {
            Category = Category with { Cursor = plan.Cursor },
            Tickets = [.. Tickets.Select(t => moves.TryGetValue(t.Id, out var m) ? t with { OwnerId = m.ToOwnerId, HeldByAdmin = m.HeldByAdmin } : t)],
        };
    }

    public bool IsMember(int associateId) => Members.Any(m => m.AssociateId == associateId);

    /// <summary>The members as a category's member rows keep them: presence and open count (held-by-admin tickets not counted).</summary>
    public IReadOnlyList<MemberLoad> Loads() =>
        [.. Members.DistinctBy(m => m.AssociateId).Select(m => new MemberLoad(
            m.AssociateId,
            m.Weight,
            Present.Contains(m.AssociateId),
            Tickets.Count(t => t.State == TicketState.Open && !t.HeldByAdmin && t.OwnerId == m.AssociateId)))];

    /// <summary>After a full pass: every rule from here on starts from a consistent category.</summary>
    public Scenario Settled() => Apply(Plan());

    public override string ToString() =>
        $"{Category}; members [{string.Join(", ", Members.Select(m => $"{m.AssociateId}(w{m.Weight}{(Present.Contains(m.AssociateId) ? "" : ",away")})"))}]; "
        + $"tickets [{string.Join(", ", Tickets.Select(t => $"{t.Id}:{t.OwnerId}{(t.State == TicketState.Closed ? "c" : "")}{(t.HeldByAdmin ? "h" : "")}"))}]";

    public static Arbitrary<Scenario> Arbitrary() => Arb.From(Generator());

    private static Gen<Scenario> Generator() =>
        from method in Gen.Elements(Enum.GetValues<AssignmentMethod>())
        from fallback in Gen.Elements(true, false)
        from adminId in Gen.Elements(0, Admin, 1)
        from cursor in Gen.Choose(0, 8)
        from memberIds in Gen.SubListOf(new[] { 1, 2, 3, 4, 5, 6 })
        from weights in Gen.ArrayOf(Gen.Choose(1, 4), 6)
        from presence in Gen.ArrayOf(Gen.Elements(true, true, false), 6)
        from ticketCount in Gen.Choose(0, 40)
        from owners in Gen.ArrayOf(Gen.Elements(0, 1, 2, 3, 4, 5, 6, NonMember, Admin), ticketCount)
        from closed in Gen.ArrayOf(Gen.Elements(false, false, false, true), ticketCount)
        from held in Gen.ArrayOf(Gen.Elements(false, false, true), ticketCount)
        from order in Gen.Shuffle(Enumerable.Range(0, ticketCount).ToArray())
        let members = memberIds.Select(id => new CategoryMember(id, weights[id - 1])).ToList()
        let present = memberIds.Where(id => presence[id - 1]).ToHashSet()
        let tickets = order.Select(i => new Ticket(
            1000 + (i * 7),
            10,
            owners[i],
            closed[i] ? TicketState.Closed : TicketState.Open,
            HeldByAdmin: held[i] && adminId != 0 && owners[i] == adminId)).ToList()
        select new Scenario(new Category(10, "Support", method, adminId, fallback, cursor), members, present, tickets);
}
