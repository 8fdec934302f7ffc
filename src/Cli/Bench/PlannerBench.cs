using System.Diagnostics;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Bench;

/// <summary>One rebalance pass: how long planning took, how much moved, and how many transactions writing it takes.</summary>
public sealed record PlannerRow(int Tickets, int Members, double PlanMs, int Moved, int Transactions);

/// <summary>
/// Plans a FewestOpen pass over one category of open tickets spread evenly over its members, one in ten of
/// them away (so a tenth of the tickets move). Median of several plans; the transactions are the ones
/// <see cref="TicketTransactions"/> would submit (ticket row, two index rows and an outbox row per move, and member counts).
/// </summary>
public static class PlannerBench
{
    public static List<PlannerRow> Run(IReadOnlyList<int> ticketCounts, IReadOnlyList<int> memberCounts, int repeats, Action<string, double> progress)
    {
        var rows = new List<PlannerRow>();
        var total = ticketCounts.Count * memberCounts.Count;
        foreach (var tickets in ticketCounts)
        {
            foreach (var members in memberCounts)
            {
                progress("rebalance planning", (double)rows.Count / total);
                var (category, memberList, present, ticketList) = Workload(tickets, members, AssignmentMethod.FewestOpen);

                RebalancePlan plan = RebalancePlan.Nothing;
                var times = new List<double>();
                for (var i = 0; i < repeats + 1; i++)
                {
                    var clock = Stopwatch.StartNew();
                    plan = RebalancePlanner.Plan(category, memberList, present.Contains, ticketList);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }

                var median = times.Skip(1).Order().ElementAt(repeats / 2); // the first run warms the JIT
                rows.Add(new PlannerRow(tickets, members, median, plan.Moves.Count, Transactions(category, memberList, present, ticketList, plan)));
            }
        }

        return rows;
    }

    /// <summary>How many entity-group transactions writing the plan takes.</summary>
    public static int Transactions(Category category, List<CategoryMember> members, HashSet<int> present, List<Ticket> tickets, RebalancePlan plan)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(present);
        ArgumentNullException.ThrowIfNull(tickets);
        var stored = tickets.ToDictionary(t => t.Id, t => new TicketDetails(t.Id, t.CategoryId, t.OwnerId, t.State, t.HeldByAdmin, 1, null, null, null));
        var open = tickets.Where(t => t.State == TicketState.Open && !t.HeldByAdmin).CountBy(t => t.OwnerId).ToDictionary();
        var view = new CategoryView(
            category,
            open.GetValueOrDefault(0),
            0,
            [.. members.Select(m => new StoredMember(m.AssociateId, m.Weight, present.Contains(m.AssociateId) ? StoredMember.PresentStatus : "StatusNotAvailable", 1, open.GetValueOrDefault(m.AssociateId)))],
            "*");
        var writes = TicketMoves.Writes(stored, plan, AssignmentReason.Presence, "bench", DateTimeOffset.UnixEpoch);
        return TicketTransactions.Build(PartitionWrite.OfTickets(view, writes, null)).Chunks.Count;
    }

    /// <summary>
    /// One category of open tickets spread evenly over its members (weights 1 to 3), one member in ten away.
    /// BenchmarkDotNet's planner benchmark plans the same workload.
    /// </summary>
    public static (Category Category, List<CategoryMember> Members, HashSet<int> Present, List<Ticket> Tickets) Workload(int tickets, int members, AssignmentMethod method)
    {
        var memberList = Enumerable.Range(1, members).Select(id => new CategoryMember(id, 1 + (id % 3))).ToList();
        var present = memberList.Where(m => m.AssociateId % 10 != 0).Select(m => m.AssociateId).ToHashSet();
        var ticketList = Enumerable.Range(1, tickets).Select(id => new Ticket(id, 1, 1 + (id % members), TicketState.Open)).ToList();
        return (new Category(1, "Bench", method, 0, false, 0), memberList, present, ticketList);
    }
}
