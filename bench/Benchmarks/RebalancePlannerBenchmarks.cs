using BenchmarkDotNet.Attributes;
using PresenceFunctions.Rebalancing;

namespace PresenceFunctions.Benchmarks;

/// <summary>
/// Planning one rebalance pass: one category of <see cref="Tickets"/> open tickets spread over
/// <see cref="Members"/> members, one in ten of them away, so a tenth of the tickets move.
/// </summary>
[MemoryDiagnoser]
public class RebalancePlannerBenchmarks
{
    private Category category = null!;
    private List<CategoryMember> members = null!;
    private HashSet<int> present = null!;
    private List<Ticket> tickets = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Tickets { get; set; }

    [Params(10, 100, 1_000)]
    public int Members { get; set; }

    [Params(AssignmentMethod.FewestOpen, AssignmentMethod.Weighted, AssignmentMethod.Even)]
    public AssignmentMethod Method { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (category, members, present, tickets) = Workload(Tickets, Members, Method);
    }

    [Benchmark]
    public RebalancePlan Plan() => RebalancePlanner.Plan(category, members, present.Contains, tickets);

    /// <summary>The workload, shared with <c>presence bench</c> so both measure the same thing.</summary>
    public static (Category Category, List<CategoryMember> Members, HashSet<int> Present, List<Ticket> Tickets) Workload(int tickets, int members, AssignmentMethod method)
    {
        var memberList = Enumerable.Range(1, members).Select(id => new CategoryMember(id, 1 + (id % 3))).ToList();
        var presentSet = memberList.Where(m => m.AssociateId % 10 != 0).Select(m => m.AssociateId).ToHashSet();
        var ticketList = Enumerable.Range(1, tickets).Select(id => new Ticket(id, 1, 1 + (id % members), TicketState.Open)).ToList();
        return (new Category(1, "Bench", method, 0, false, 0), memberList, presentSet, ticketList);
    }
}
