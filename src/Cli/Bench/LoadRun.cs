using System.Diagnostics;

namespace PresenceFunctions.Cli.Bench;

/// <summary>What one timed run measured: operations done, over how long, and each one's latency.</summary>
public sealed record LoadRun(int Operations, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double Throughput => Operations / Elapsed.TotalSeconds;

    /// <summary>Slices of one measurement as one: their operations, time and latencies together.</summary>
    public static LoadRun Combine(IReadOnlyList<LoadRun> slices) =>
        new(slices.Sum(s => s.Operations), slices.Aggregate(TimeSpan.Zero, (total, s) => total + s.Elapsed), [.. slices.SelectMany(s => s.LatenciesMs)]);

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return 0;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>
    /// Runs <paramref name="concurrency"/> workers for <paramref name="duration"/>. Worker w gets its own slice of
    /// the keys (k % concurrency == w), so workers never contend for one associate: the same for every system measured.
    /// </summary>
    public static async Task<LoadRun> RunAsync(
        int concurrency,
        TimeSpan duration,
        int keys,
        Func<int, int, CancellationToken, Task> operation,
        Action<double>? progress,
        CancellationToken cancellationToken)
    {
        var latencies = new List<double>[concurrency];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = [];
            var slice = Enumerable.Range(0, keys).Where(k => k % concurrency == worker).ToArray();
            for (var n = 0; clock.Elapsed < duration && !stop.IsCancellationRequested; n++)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(slice[n % slice.Length], n, stop.Token).ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                progress?.Invoke(Math.Min(1, clock.Elapsed / duration));
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        clock.Stop();
        var all = latencies.SelectMany(l => l).ToArray();
        return new LoadRun(all.Length, clock.Elapsed, all);
    }
}
