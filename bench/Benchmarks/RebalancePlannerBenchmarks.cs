using BenchmarkDotNet.Attributes;
using PresenceFunctions.Cli.Bench;
using PresenceFunctions.Tickets;

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
        (category, members, present, tickets) = PlannerBench.Workload(Tickets, Members, Method);
    }

    [Benchmark]
    public RebalancePlan Plan() => RebalancePlanner.Plan(category, members, present.Contains, tickets);
}
