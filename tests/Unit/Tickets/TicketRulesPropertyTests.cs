using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Unit.Tickets;

/// <summary>The arrival, new-message and presence rules, over generated categories, presences and tickets.</summary>
public sealed class TicketRulesPropertyTests
{
    private const int Runs = 500;

    /// <summary>A settled category and one ticket arriving in it with any owner and state.</summary>
    private static Arbitrary<(Scenario Scenario, Ticket Arriving)> Arrivals() => Arb.From(
        from scenario in Scenario.Arbitrary().Generator
        from owner in Gen.Elements(0, 1, 2, 3, 4, 5, 6, Scenario.NonMember, Scenario.Admin)
        from closed in Gen.Elements(false, false, false, true)
        select (scenario.Settled(), new Ticket(99_999, 10, owner, closed ? TicketState.Closed : TicketState.Open)));

    private static bool AnyonePresent(Scenario scenario) => scenario.Members.Any(m => scenario.Present.Contains(m.AssociateId));

    private static bool IsAwayMember(Scenario scenario, int owner) => owner != 0 && scenario.IsMember(owner) && !scenario.Present.Contains(owner);

    [Property(MaxTest = Runs)]
    public Property AnArrivingTicketWithAPresentOrNonMemberOwnerIsKept() => Prop.ForAll(Arrivals(), a =>
        a.Arriving.OwnerId == 0 || IsAwayMember(a.Scenario, a.Arriving.OwnerId) || TicketRules.OnArrival(a.Scenario.Category, a.Scenario.Loads(), a.Arriving).IsEmpty);

    [Property(MaxTest = Runs)]
    public Property AnOpenArrivalNeedingAnOwnerGoesToSomeonePresentWhileAnyoneIs() => Prop.ForAll(Arrivals(), a =>
    {
        var (scenario, arriving) = a;
        var needsOwner = arriving.State == TicketState.Open && (arriving.OwnerId == 0 || IsAwayMember(scenario, arriving.OwnerId));
        if (!needsOwner || !AnyonePresent(scenario) || scenario.Category.Method == AssignmentMethod.DoNotAssign)
        {
            return true.ToProperty();
        }

        var moves = TicketRules.OnArrival(scenario.Category, scenario.Loads(), arriving).Moves;
        return (moves.Count == 1 && moves[0].TicketId == arriving.Id && scenario.Present.Contains(moves[0].ToOwnerId) && !moves[0].HeldByAdmin)
            .Label(scenario.ToString());
    });

    [Property(MaxTest = Runs)]
    public Property WithNobodyPresentAnArrivalGoesToTheAdminOrWaitsInTheBacklog() => Prop.ForAll(Arrivals(), a =>
    {
        var (scenario, arriving) = a;
        var category = scenario.Category;
        if (AnyonePresent(scenario) || arriving.State != TicketState.Open || category.Method == AssignmentMethod.DoNotAssign
            || (arriving.OwnerId != 0 && !IsAwayMember(scenario, arriving.OwnerId)))
        {
            return true.ToProperty();
        }

        var toAdmin = category.FallbackToAdmin && category.AdminId > 0;
        var moves = TicketRules.OnArrival(category, scenario.Loads(), arriving).Moves;
        var expected = toAdmin
            ? [new TicketMove(arriving.Id, arriving.OwnerId, category.AdminId, HeldByAdmin: true)]
            : arriving.OwnerId == 0 ? Array.Empty<TicketMove>() : [new TicketMove(arriving.Id, arriving.OwnerId, 0, HeldByAdmin: false)];
        return moves.SequenceEqual(expected).Label(scenario.ToString());
    });

    [Property(MaxTest = Runs)]
    public Property AnArrivalGetsTheOwnerAFullPassWouldGiveIt() => Prop.ForAll(Arrivals(), a =>
    {
        // The counts on member rows make one ticket's assignment agree with planning the whole category.
        var (scenario, arriving) = a;
        if (!AnyonePresent(scenario))
        {
            return true.ToProperty();
        }

        var arrival = TicketRules.OnArrival(scenario.Category, scenario.Loads(), arriving);
        var full = (scenario with { Tickets = [.. scenario.Tickets, arriving] }).Plan();
        return (arrival.Moves.SequenceEqual(full.Moves) && arrival.Cursor == full.Cursor && arrival.CursorChanged == full.CursorChanged)
            .Label(scenario.ToString());
    });

    [Property(MaxTest = Runs)]
    public Property DoNotAssignNeverAssignsAnArrival() => Prop.ForAll(Arrivals(), a =>
        TicketRules.OnArrival(a.Scenario.Category with { Method = AssignmentMethod.DoNotAssign }, a.Scenario.Loads(), a.Arriving).IsEmpty);

    [Property(MaxTest = Runs)]
    public Property ANewMessageMovesATicketOnlyWhenItsOwnerIsAwayAndTheCategorySaysSo() => Prop.ForAll(Arrivals(), a =>
    {
        var (scenario, ticket) = a;
        var plan = TicketRules.OnNewMessage(scenario.Category, scenario.Loads(), ticket);
        var shouldMove = scenario.Category.ReassignOnNewMessage && scenario.Category.Method != AssignmentMethod.DoNotAssign
            && ticket.State == TicketState.Open && IsAwayMember(scenario, ticket.OwnerId);
        var wellPlaced = plan.Moves.All(m => AnyonePresent(scenario) ? scenario.Present.Contains(m.ToOwnerId) : m.ToOwnerId == 0 || m.HeldByAdmin);
        return (shouldMove == (plan.Moves.Count == 1) && wellPlaced).Label(scenario.ToString());
    });

    [Property(MaxTest = Runs)]
    public Property ReassignOnNewMessageOffLeavesTheTicketWhereItIs() => Prop.ForAll(Arrivals(), a =>
        TicketRules.OnNewMessage(a.Scenario.Category with { ReassignOnNewMessage = false }, a.Scenario.Loads(), a.Arriving).IsEmpty);

    /// <summary>
    /// A settled category, one member's presence flipped: the pass that reads only what the rule scopes (their
    /// tickets, or the backlog and what the admin holds) plans exactly what a pass over every ticket would.
    /// </summary>
    [Property(MaxTest = Runs)]
    public Property APresencePassOverItsScopeAloneEqualsAPassOverTheWholeCategory() => Prop.ForAll(
        Arb.From(from scenario in Scenario.Arbitrary().Generator
                 from pick in Gen.Choose(0, 5)
                 select (Settled: scenario.Settled(), Pick: pick)),
        p =>
        {
            var settled = p.Settled;
            if (settled.Members.Count == 0)
            {
                return true.ToProperty();
            }

            var changed = settled.Members[p.Pick % settled.Members.Count].AssociateId;
            var present = settled.Present.Contains(changed) ? settled.Present.Where(id => id != changed).ToHashSet() : settled.Present.Append(changed).ToHashSet();
            var after = settled with { Present = present };
            var loads = after.Loads();
            var scope = TicketRules.ScopeOfPresenceChange(after.Category, loads.First(m => m.AssociateId == changed));
            var candidates = scope switch
            {
                PresenceScope.OwnTickets => after.Tickets.Where(t => t.State == TicketState.Open && t.OwnerId == changed && !t.HeldByAdmin),
                PresenceScope.BacklogAndFallback => after.Tickets.Where(t => t.State == TicketState.Open && (t.OwnerId == 0 || t.HeldByAdmin)),
                _ => [],
            };
            var scoped = scope == PresenceScope.Nothing ? RebalancePlan.Nothing : RebalancePlanner.Assign(after.Category, loads, [.. candidates]);
            var full = after.Plan();
            return (scoped.Moves.SequenceEqual(full.Moves) && scoped.CursorChanged == full.CursorChanged && (!full.CursorChanged || scoped.Cursor == full.Cursor))
                .Label($"{after} changed {changed}");
        });
}
