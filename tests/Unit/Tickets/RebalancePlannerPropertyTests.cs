using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Unit.Tickets;

/// <summary>What every pass must keep true, over generated categories, presences and tickets.</summary>
public sealed class RebalancePlannerPropertyTests
{
    private const int Runs = 500;

    [Property(MaxTest = Runs)]
    public Property TicketsAreNeverLostOrDuplicated() => Prop.ForAll(Scenario.Arbitrary(), scenario =>
    {
        var plan = scenario.Plan();
        var after = scenario.Apply(plan);
        return plan.Moves.Select(m => m.TicketId).Distinct().Count() == plan.Moves.Count
            && plan.Moves.All(m => scenario.Tickets.Any(t => t.Id == m.TicketId && t.OwnerId == m.FromOwnerId))
            && after.Tickets.Select(t => t.Id).Order().SequenceEqual(scenario.Tickets.Select(t => t.Id).Order());
    });

    [Property(MaxTest = Runs)]
    public Property ClosedAndNonMemberTicketsNeverMove() => Prop.ForAll(Scenario.Arbitrary(), scenario =>
    {
        var moved = scenario.Plan().Moves.Select(m => m.TicketId).ToHashSet();
        return scenario.Tickets
            .Where(t => t.State == TicketState.Closed || (t.OwnerId != 0 && !t.HeldByAdmin && !scenario.IsMember(t.OwnerId)))
            .All(t => !moved.Contains(t.Id));
    });

    [Property(MaxTest = Runs)]
    public Property NobodyAwayReceivesATicketWhileSomeoneIsPresent() => Prop.ForAll(Scenario.Arbitrary(), scenario =>
    {
        var anyonePresent = scenario.Members.Any(m => scenario.Present.Contains(m.AssociateId));
        return !anyonePresent || scenario.Plan().Moves.All(m => scenario.Present.Contains(m.ToOwnerId) && !m.HeldByAdmin);
    });

    [Property(MaxTest = Runs)]
    public Property AfterAPassNoOpenMemberTicketIsLeftWithSomeoneAway() => Prop.ForAll(Scenario.Arbitrary(), scenario =>
    {
        var after = scenario.Apply(scenario.Plan());
        var anyonePresent = scenario.Members.Any(m => scenario.Present.Contains(m.AssociateId));
        return scenario.Category.Method == AssignmentMethod.DoNotAssign || !anyonePresent
            || after.Tickets.Where(t => t.State == TicketState.Open && (t.OwnerId == 0 || scenario.IsMember(t.OwnerId) || t.HeldByAdmin))
                .All(t => scenario.Present.Contains(t.OwnerId) && !t.HeldByAdmin);
    });

    [Property(MaxTest = Runs)]
    public Property TheSameDataGivesTheSamePlanInAnyOrder() => Prop.ForAll(Scenario.Arbitrary(), scenario =>
    {
        var reordered = scenario with
        {
            Members = [.. scenario.Members.Reverse()],
            Tickets = [.. scenario.Tickets.Reverse()],
        };
        var first = scenario.Plan();
        var second = reordered.Plan();
        return first.Moves.SequenceEqual(second.Moves) && first.Cursor == second.Cursor && first.CursorChanged == second.CursorChanged;
    });

    [Property(MaxTest = Runs)]
    public Property ASecondPassChangesNothing() => Prop.ForAll(Scenario.Arbitrary(), scenario =>
        scenario.Apply(scenario.Plan()).Plan().IsEmpty.Label(scenario.ToString()));

    [Property(MaxTest = Runs)]
    public Property DoNotAssignNeverMovesAnything() => Prop.ForAll(Scenario.Arbitrary(), scenario =>
        (scenario with { Category = scenario.Category with { Method = AssignmentMethod.DoNotAssign } }).Plan().IsEmpty);
}
