using System.CommandLine;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Cli.Output;
using Spectre.Console;

namespace PresenceFunctions.Cli.Bench;

/// <summary>
/// <c>presence bench</c>: Set throughput against raw storage, rebalance planning, and cold start, measured
/// side by side in one run on this machine, written to bench/results/. Micro-benchmarks of the HTTP pipeline
/// are BenchmarkDotNet's job: <c>dotnet run -c Release --project bench/Benchmarks</c>.
/// </summary>
public static class BenchCommand
{
    private static readonly string[] Parts = ["sets", "planner", "passes", "cold-start"];

    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "How long each throughput run lasts.", DefaultValueFactory = _ => 10 };
        // Each of the 32 clients of the last level owns its own slice of the associates, so none may be left without one.
        var associates = new Option<int>("--associates") { Description = "How many associates the Sets spread over (at least 32).", DefaultValueFactory = _ => 1000 }
            .AtLeast(32, "--associates must be at least 32: each of the 32 clients of the last level needs associates of its own.");
        var output = new Option<string>("--out") { Description = "Where the results go.", DefaultValueFactory = _ => Path.Combine("bench", "results") };
        var coldStarts = new Option<int>("--cold-starts") { Description = "Cold starts per build (0 skips publishing the two builds).", DefaultValueFactory = _ => 5 };
        var only = new Option<string[]>("--only")
        {
            Description = "Run only these parts: sets, planner, passes, cold-start (all when not given).",
            AllowMultipleArgumentsPerToken = true,
        };
        only.AcceptOnlyFromAmong(Parts);
        var command = new Command("bench", "Measure Set throughput against raw storage, rebalance planning, presence pass requests and cold start; write bench/results/.")
        {
            seconds, associates, output, coldStarts, only,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var root = RepositoryRoot();
            var duration = TimeSpan.FromSeconds(result.GetValue(seconds));
            List<SetThroughputRow> sets = [];
            List<PlannerRow> planner = [];
            List<ColdStartRow> starts = [];
            List<PassRequestsRow> passes = [];
            var parts = result.GetValue(only) is { Length: > 0 } chosen ? chosen.ToHashSet() : Parts.ToHashSet();
            var tasks = new Dictionary<string, ProgressTask>();

            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    void Progress(string stage, double fraction)
                    {
                        lock (tasks)
                        {
                            if (!tasks.TryGetValue(stage, out var task))
                            {
                                foreach (var done in tasks.Values)
                                {
                                    done.Value = done.MaxValue;
                                }

                                tasks[stage] = task = context.AddTask(stage, maxValue: 1);
                            }

                            task.Value = Math.Max(task.Value, fraction);
                        }
                    }

                    if (parts.Contains("planner"))
                    {
                        planner = PlannerBench.Run([1_000, 10_000, 100_000], [10, 100, 1_000], repeats: 5, Progress);
                    }

                    if (parts.Contains("passes"))
                    {
                        passes = await PresencePassBench.RunAsync([100, 10_000, 100_000], [10, 1_000, 5_000], Progress, cancellationToken).ConfigureAwait(false);
                    }

                    if (parts.Contains("sets"))
                    {
                        sets = await new SetThroughputBench(result.GetValue(associates), duration).RunAsync([1, 8, 32], Progress, cancellationToken).ConfigureAwait(false);
                    }

                    if (parts.Contains("cold-start") && result.GetValue(coldStarts) > 0)
                    {
                        starts = await new ColdStartBench(root, result.GetValue(coldStarts)).RunAsync(Progress, cancellationToken).ConfigureAwait(false);
                    }

                    lock (tasks)
                    {
                        foreach (var task in tasks.Values)
                        {
                            task.Value = task.MaxValue;
                        }
                    }
                }).ConfigureAwait(false);

            var directory = Path.GetFullPath(result.GetValue(output)!);
            foreach (var file in BenchReport.Write(directory, sets, planner, passes, starts))
            {
                AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[grey]wrote[/] {file}");
            }

            Console.WriteLine();
            Console.WriteLine(File.ReadAllText(Path.Combine(directory, "results.md")));
            return 0;
        });
        return command;
    }

    private static string RepositoryRoot()
    {
        var script = AzuriteProcess.FindScript() ?? throw new InvalidOperationException("Run presence bench inside the repository, after npm ci.");
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(script)!, "..", "..", "..", "..", ".."));
    }
}
