using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ScottPlot;

namespace PresenceFunctions.Cli.Bench;

/// <summary>Writes the results as one Markdown page, a CSV per measurement and a PNG chart of throughput by concurrency.</summary>
public static class BenchReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IReadOnlyList<string> Write(
        string directory,
        IReadOnlyList<SetThroughputRow> sets,
        IReadOnlyList<PlannerRow> planner,
        IReadOnlyList<PassRequestsRow> passes,
        IReadOnlyList<ColdStartRow> coldStarts)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        void Save(string name, string text)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, text);
            files.Add(path);
        }

        // Each part says when it was measured, so a run of some parts (--only) keeps the others' sections as they were.
        var measured = string.Create(Invariant, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine()}.");
        var markdown = new StringBuilder().AppendLine("# presence bench results").AppendLine();
        StringBuilder Section(string heading) => markdown.AppendLine(heading).AppendLine().AppendLine(measured).AppendLine();

        if (sets.Count > 0)
        {
            Section(SetsHeading)
                .AppendLine("A Set answers once its transaction commits; the event's publish follows on the dispatch queue, and its outbox row is taken over by the associate's next Set, which stores its own event in it (in that Set's own transaction: a merge instead of an insert, and no delete), or removed by the cleanup once its delay is up. The measured Sets revisit each associate every ~4 s, so most rows fold; \"rows removed at once\" is a second host with `Outbox:CleanupDelaySeconds` 0, where nothing folds (associates who change rarely). The raw transaction is the one these Sets send, built by the same code: the status row, a history row, and the event stored in the associate's previous outbox row (a merge, If-Match on its ETag). \"With a new outbox row\" is the transaction of a Set that finds no sent row, as the second host's Sets send it; Azurite runs it cheaper (a merge is an update, which LokiJS performs as a walk of each index; an insert is not). The \"HTTP floor\" is the raw transaction behind a bare Kestrel endpoint (no routing, auth, parsing or logging; the same request and answer bodies as a Set): floor / raw is what the HTTP hop alone costs on this machine, Set / floor what our code adds to it. The raw workloads and the floor share one Azurite, each with its own table; each host has its own.")
                .AppendLine()
                .AppendLine("| concurrency | presence Sets/s | p50 ms | p99 ms | raw transaction p50 ms | p99 ms | **p50 / raw transaction p50** | HTTP floor p50 ms | floor / raw transaction | Set / floor | raw transaction with a new outbox row: p50 ms | Set p50 / it | rows removed at once: p50 ms | / new-row transaction p50 | raw transaction + delete ops/s | p50 ms | p99 ms | throughput ratio | round trips per Set: on the response path | after it | sent rows reused or removed by the next Set's transaction, per Set | event latency commit → published p50 ms | p99 ms |")
                .AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in sets)
            {
                markdown.AppendLine(Invariant, $"| {row.Concurrency} | {row.Ours.Throughput:F0} | {row.Ours.Percentile(50):F1} | {row.Ours.Percentile(99):F1} | {row.RawTransaction.Percentile(50):F1} | {row.RawTransaction.Percentile(99):F1} | **{row.P50Ratio:F2}** | {row.Floor?.Percentile(50):F1} | {row.FloorRatio:F2} | {row.P50OverFloor:F2} | {row.RawNewRow?.Percentile(50):F1} | {row.P50RatioNewRow:F2} | {row.OursAtOnce?.Percentile(50):F1} | {row.P50RatioAtOnce:F2} | {row.Raw.Throughput:F0} | {row.Raw.Percentile(50):F1} | {row.Raw.Percentile(99):F1} | {row.Ratio:F2} | {row.RoundTripsPerSet - row.OffPathPerSet:F2} | {row.OffPathPerSet:F2} | {row.FoldedPerSet:F2} | {row.EventLatency(50):F1} | {row.EventLatency(99):F1} |");
            }

            markdown.AppendLine();
            Save("set-throughput.csv", Csv(
                "concurrency,system,operations,seconds,per_second,p50_ms,p99_ms,round_trips_on_path,round_trips_after,event_p50_ms,event_p99_ms,folded_per_set",
                sets.SelectMany(r => new[]
                {
                    string.Create(Invariant, $"{r.Concurrency},presence,{r.Ours.Operations},{r.Ours.Elapsed.TotalSeconds:F2},{r.Ours.Throughput:F1},{r.Ours.Percentile(50):F2},{r.Ours.Percentile(99):F2},{r.RoundTripsPerSet - r.OffPathPerSet:F3},{r.OffPathPerSet:F3},{r.EventLatency(50):F2},{r.EventLatency(99):F2},{r.FoldedPerSet:F3}"),
                    string.Create(Invariant, $"{r.Concurrency},presence-rows-removed-at-once,{r.OursAtOnce?.Operations},{r.OursAtOnce?.Elapsed.TotalSeconds:F2},{r.OursAtOnce?.Throughput:F1},{r.OursAtOnce?.Percentile(50):F2},{r.OursAtOnce?.Percentile(99):F2},1,,,,0"),
                    string.Create(Invariant, $"{r.Concurrency},raw-transaction,{r.RawTransaction.Operations},{r.RawTransaction.Elapsed.TotalSeconds:F2},{r.RawTransaction.Throughput:F1},{r.RawTransaction.Percentile(50):F2},{r.RawTransaction.Percentile(99):F2},1,0,,,"),
                    string.Create(Invariant, $"{r.Concurrency},raw-transaction-new-row,{r.RawNewRow?.Operations},{r.RawNewRow?.Elapsed.TotalSeconds:F2},{r.RawNewRow?.Throughput:F1},{r.RawNewRow?.Percentile(50):F2},{r.RawNewRow?.Percentile(99):F2},1,0,,,"),
                    string.Create(Invariant, $"{r.Concurrency},http-floor,{r.Floor?.Operations},{r.Floor?.Elapsed.TotalSeconds:F2},{r.Floor?.Throughput:F1},{r.Floor?.Percentile(50):F2},{r.Floor?.Percentile(99):F2},1,0,,,"),
                    string.Create(Invariant, $"{r.Concurrency},raw-transaction-delete,{r.Raw.Operations},{r.Raw.Elapsed.TotalSeconds:F2},{r.Raw.Throughput:F1},{r.Raw.Percentile(50):F2},{r.Raw.Percentile(99):F2},2,0,,,"),
                })));
            var chart = Path.Combine(directory, "set-throughput.png");
            Chart(sets, chart);
            files.Add(chart);
            markdown.AppendLine("![Set throughput by concurrency](set-throughput.png)").AppendLine();
        }

        if (planner.Count > 0)
        {
            Section(PlannerHeading)
                .AppendLine("| tickets | members | plan ms (median) | tickets moved | transactions | ceil(4 moved / 99): 4 rows a move |")
                .AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var row in planner)
            {
                markdown.AppendLine(Invariant, $"| {row.Tickets} | {row.Members} | {row.PlanMs:F2} | {row.Moved} | {row.Transactions} | {((4 * row.Moved) + 98) / 99} |");
            }

            markdown.AppendLine();
            Save("rebalance-pass.csv", Csv(
                "tickets,members,plan_ms,moved,transactions",
                planner.Select(r => string.Create(Invariant, $"{r.Tickets},{r.Members},{r.PlanMs:F3},{r.Moved},{r.Transactions}"))));
        }

        if (passes.Count > 0)
        {
            var start = markdown.Length;
            Section(PassesHeading)
                .AppendLine("| tickets | members | 1 goes away: reads | transactions | total | tickets moved | then outbox clean-up | 1 comes back: reads | transactions | total |")
                .AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in passes)
            {
                markdown.AppendLine(Invariant, $"| {row.Tickets:N0} | {row.Members:N0} | {row.Away.Reads} | {row.Away.Transactions} | **{row.Away.Total}** | {row.Away.Moved} | {row.Away.CleanUp} | {row.Back.Reads} | {row.Back.Transactions} | **{row.Back.Total}** |");
            }

            markdown.AppendLine();
            Save("presence-pass-requests.md", markdown.ToString(start, markdown.Length - start));
            Save("presence-pass-requests.csv", Csv(
                "tickets,members,away_reads,away_transactions,away_moved,away_cleanup,back_reads,back_transactions",
                passes.Select(r => string.Create(Invariant, $"{r.Tickets},{r.Members},{r.Away.Reads},{r.Away.Transactions},{r.Away.Moved},{r.Away.CleanUp},{r.Back.Reads},{r.Back.Transactions}"))));
        }

        if (coldStarts.Count > 0)
        {
            Section(ColdStartHeading)
                .AppendLine("| build | runs | median ms | fastest ms |")
                .AppendLine("|---|---:|---:|---:|");
            foreach (var row in coldStarts)
            {
                markdown.AppendLine(Invariant, $"| {row.Build} | {row.StartMs.Length} | {row.Median:F0} | {row.Min:F0} |");
            }

            markdown.AppendLine();
            Save("cold-start.csv", Csv(
                "build,run,ms",
                coldStarts.SelectMany(r => r.StartMs.Select((ms, i) => string.Create(Invariant, $"{r.Build},{i + 1},{ms:F1}")))));
        }

        var page = Path.Combine(directory, "results.md");
        var written = markdown.ToString();
        if (File.Exists(page))
        {
            // Parts not run this time keep the section an earlier run wrote.
            var kept = Sections(File.ReadAllText(page)).Where(old => !written.Contains(old.Heading + "\n", StringComparison.Ordinal)
                && !written.Contains(old.Heading + "\r\n", StringComparison.Ordinal));
            written += string.Concat(kept.Select(old => old.Text));
        }

        Save("results.md", written);
        return files;
    }

    private const string SetsHeading = "## Sets through the local host on Azurite, beside the raw storage work of a Set (same run)";
    private const string PlannerHeading = "## Rebalance pass: planning one category (FewestOpen, a tenth of the members away)";
    private const string PassesHeading = "## Presence pass: storage requests, counted (member 1 holds 10 open tickets, every other ticket closed)";
    private const string ColdStartHeading = "## Cold start of `presence serve` to its first answered request";

    /// <summary>A page's "## " sections, each with its heading line and its text up to the next one.</summary>
    private static IEnumerable<(string Heading, string Text)> Sections(string page)
    {
        var lines = page.ReplaceLineEndings("\n").Split('\n');
        var starts = lines.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("## ", StringComparison.Ordinal)).Select(l => l.i).ToList();
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1] : lines.Length;
            var text = string.Join("\n", lines[starts[k]..end]).TrimEnd('\n') + "\n\n";
            yield return (lines[starts[k]], text);
        }
    }

    private static string Csv(string header, IEnumerable<string> lines) => header + "\n" + string.Join("\n", lines) + "\n";

    private static void Chart(IReadOnlyList<SetThroughputRow> rows, string path)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            bars.Add(new Bar { Position = (i * 3) + 0, Value = rows[i].Ours.Throughput, FillColor = Colors.SteelBlue });
            bars.Add(new Bar { Position = (i * 3) + 1, Value = rows[i].Raw.Throughput, FillColor = Colors.Gray });
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. rows.Select((_, i) => (i * 3) + 0.5)], [.. rows.Select(r => r.Concurrency.ToString(Invariant))]);
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "presence Sets (HTTP, auth, commit; publish and clean-up after the answer)", FillColor = Colors.SteelBlue });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "raw transaction + outbox delete (Azure.Data.Tables)", FillColor = Colors.Gray });
        plot.ShowLegend(Edge.Bottom);
        plot.Title("Set throughput on Azurite by concurrency");
        plot.XLabel("concurrent clients");
        plot.YLabel("per second");
        plot.SavePng(path, 800, 480);
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : " (" + cpu + ")")}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }
}
