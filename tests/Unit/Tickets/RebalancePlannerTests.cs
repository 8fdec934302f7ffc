using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Unit.Tickets;

/// <summary>Each method's choices on small hand-made categories.</summary>
public sealed class RebalancePlannerTests
{
    private static Scenario Make(AssignmentMethod method, int[] present, (int Id, int Weight)[] members, (int Id, int Owner)[] tickets, int cursor = 0, int adminId = 9, bool fallback = true) =>
        new(
            new Category(10, "Support", method, adminId, fallback, cursor),
            [.. members.Select(m => new CategoryMember(m.Id, m.Weight))],
            present.ToHashSet(),
            [.. tickets.Select(t => new Ticket(t.Id, 10, t.Owner, TicketState.Open))]);

    private static Dictionary<int, int> Owners(Scenario scenario) =>
        scenario.Apply(scenario.Plan()).Tickets.ToDictionary(t => t.Id, t => t.OwnerId);

    [Fact]
    public void FewestOpenGivesEachTicketToWhoeverHasFewestCountingThePass()
    {
        // 2 holds one ticket, 3 holds two; 1 is away with three.
        var scenario = Make(AssignmentMethod.FewestOpen, [2, 3], [(1, 1), (2, 1), (3, 1)],
            [(101, 1), (102, 1), (103, 1), (201, 2), (301, 3), (302, 3)]);

        var owners = Owners(scenario);

        Assert.Equal(2, owners[101]); // 2:1 < 3:2
        Assert.Equal(2, owners[102]); // 2:2 = 3:2, tie to the lower id
        Assert.Equal(3, owners[103]); // 2:3 > 3:2
    }

    [Fact]
    public void WeightedUsesOpenPlusOneOverWeight()
    {
        // 2 (weight 3) and 3 (weight 1) start empty: (0+1)/3 < (0+1)/1, then 2/3 < 1, then 3/3 = 1/1 tie to 2, then 4/3 > 1 so 3.
        var scenario = Make(AssignmentMethod.Weighted, [2, 3], [(2, 3), (3, 1)], [(1, 0), (2, 0), (3, 0), (4, 0), (5, 0)]);

        var owners = Owners(scenario);

        Assert.Equal([2, 2, 2, 3, 2], [owners[1], owners[2], owners[3], owners[4], owners[5]]);
    }

    [Fact]
    public void EvenGoesRoundInAscendingIdsStartingAfterTheCursorAndMovesIt()
    {
        var scenario = Make(AssignmentMethod.Even, [2, 4, 6], [(2, 1), (4, 1), (6, 1)], [(1, 0), (2, 0), (3, 0), (4, 0)], cursor: 4);

        var plan = scenario.Plan();
        var owners = Owners(scenario);

        Assert.Equal([6, 2, 4, 6], [owners[1], owners[2], owners[3], owners[4]]);
        Assert.Equal(6, plan.Cursor);
        Assert.True(plan.CursorChanged);
    }

    [Fact]
    public void EvenStartsAtTheLowestIdWhenTheCursorIsPastEveryone()
    {
        var owners = Owners(Make(AssignmentMethod.Even, [2, 4], [(2, 1), (4, 1)], [(1, 0)], cursor: 9));

        Assert.Equal(2, owners[1]);
    }

    [Fact]
    public void WithNobodyPresentTicketsOfAbsentMembersFallBackToTheAdmin()
    {
        var scenario = Make(AssignmentMethod.FewestOpen, [], [(1, 1), (2, 1)], [(1, 1), (2, 2), (3, 0), (4, 7)]);

        var plan = scenario.Plan();

        Assert.Equal([(1, 9, true), (2, 9, true)], plan.Moves.Select(m => (m.TicketId, m.ToOwnerId, m.HeldByAdmin)));
    }

    [Fact]
    public void WithNobodyPresentAndNoFallbackTicketsGoBackToNobody()
    {
        var plan = Make(AssignmentMethod.FewestOpen, [], [(1, 1)], [(1, 1), (2, 0)], fallback: false).Plan();

        Assert.Equal([(1, 0, false)], plan.Moves.Select(m => (m.TicketId, m.ToOwnerId, m.HeldByAdmin)));
    }

    [Fact]
    public void TicketsHeldByTheAdminReturnToMembersOnceOneIsBack()
    {
        var away = Make(AssignmentMethod.FewestOpen, [], [(1, 1)], [(1, 1)]);
        var held = away.Apply(away.Plan());
        Assert.True(held.Tickets.Single().HeldByAdmin);

        var back = held with { Present = new HashSet<int> { 1 } };
        var moves = back.Plan().Moves;

        Assert.Equal([(1, 1, false)], moves.Select(m => (m.TicketId, m.ToOwnerId, m.HeldByAdmin)));
    }

    [Fact]
    public void DoNotAssignLeavesEverything()
    {
        Assert.True(Make(AssignmentMethod.DoNotAssign, [2], [(1, 1), (2, 1)], [(1, 1), (2, 0)]).Plan().IsEmpty);
    }

    [Fact]
    public void ClosedTicketsAndTicketsOfNonMembersStay()
    {
        var scenario = new Scenario(
            new Category(10, "Support", AssignmentMethod.FewestOpen, 9, true, 0),
            [new CategoryMember(1, 1), new CategoryMember(2, 1)],
            new HashSet<int> { 2 },
            [new Ticket(1, 10, 1, TicketState.Closed), new Ticket(2, 10, 7, TicketState.Open), new Ticket(3, 10, 1, TicketState.Open)]);

        Assert.Equal([3], scenario.Plan().Moves.Select(m => m.TicketId));
    }

    [Fact]
    public void APassThatFindsNothingMisplacedPlansNothing()
    {
        Assert.True(Make(AssignmentMethod.Even, [1, 2], [(1, 1), (2, 1)], [(1, 1), (2, 2)]).Plan().IsEmpty);
    }

    [Fact]
    public void AHundredThousandTicketPassWritesEachChunkInOnePartitionWithinAHundredOperations()
    {
        var members = Enumerable.Range(1, 1000).Select(id => new CategoryMember(id, 1 + (id % 3))).ToList();
        var present = members.Where(m => m.AssociateId % 10 != 0).Select(m => m.AssociateId).ToHashSet();
        var tickets = Enumerable.Range(1, 100_000).Select(id => new Ticket(id, 10, 1 + (id % 1000), TicketState.Open)).ToList();
        var category = new Category(10, "Support", AssignmentMethod.FewestOpen, 9, true, 0);

        var plan = RebalancePlanner.Plan(category, members, present.Contains, tickets);
        var stored = tickets.ToDictionary(t => t.Id, t => new TicketDetails(t.Id, t.CategoryId, t.OwnerId, t.State, false, 1, null, null, null));
        var view = new CategoryView(
            category,
            0,
            0,
            [.. members.Select(m => new StoredMember(m.AssociateId, m.Weight, present.Contains(m.AssociateId) ? StoredMember.PresentStatus : "StatusNotAvailable", 1, 100))],
            "\"etag\"");
        var chunks = TicketTransactions.Build(PartitionWrite.OfTickets(view, TicketMoves.Writes(stored, plan, AssignmentReason.Presence, "test", DateTimeOffset.UnixEpoch), null)).Chunks;

        Assert.Equal(10_000, plan.Moves.Count);
        Assert.All(chunks, c =>
        {
            var actions = c.Actions("\"etag\"");
            Assert.InRange(actions.Count, 1, 100);
            Assert.Single(actions.Select(a => a.Entity.PartitionKey).Distinct());
            Assert.Equal(TicketRows.CategoryRow, actions[0].Entity.RowKey);
            Assert.Equal(actions.Count, actions.Select(a => a.Entity.RowKey).Distinct().Count());
        });

        // Per move: ticket row, old and new index row, outbox row; plus the member rows whose counts changed, and the category row.
        Assert.InRange(chunks.Count, (10_000 * 4 + 99) / 99, 10_000 * 4 / 50);
    }
}
