using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Cli.Hosting;
using PresenceFunctions.Events;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Cli.Bench;

/// <summary>
/// One concurrency level: our Sets through the local host against the same storage work sent straight to Azurite: the
/// transaction alone (all a Set now waits for: the one a Set sends when it takes its associate's sent row over, as most
/// measured Sets do), the same with a new outbox row (a Set that finds none), and the transaction plus the outbox delete
/// (the work a Set causes when nothing folds).
/// </summary>
public sealed record SetThroughputRow(int Concurrency, LoadRun Ours, LoadRun RawTransaction, LoadRun Raw, double RoundTripsPerSet, double OffPathPerSet, double[] EventLatenciesMs)
{
    /// <summary>Sent outbox rows the measured Sets' own transactions reused (stored their event in) or removed, per Set.</summary>
    public double FoldedPerSet { get; init; }

    /// <summary>The same Sets on a host that removes every sent row at once (<c>Outbox:CleanupDelaySeconds</c> 0): nothing folds, as for associates who change rarely.</summary>
    public LoadRun? OursAtOnce { get; init; }

    /// <summary>The raw transaction with a new outbox row each time: what a Set that finds no sent row sends.</summary>
    public LoadRun? RawNewRow { get; init; }

    /// <summary>Our p50 over the new-row transaction's: against the transaction a Set would send if it never took a row over.</summary>
    public double P50RatioNewRow => RawNewRow is { } run ? Ours.Percentile(50) / run.Percentile(50) : double.NaN;

    /// <summary>The host whose Sets never take a row over, against the transaction they send (a new outbox row).</summary>
    public double P50RatioAtOnce => OursAtOnce is { } atOnce && RawNewRow is { } raw ? atOnce.Percentile(50) / raw.Percentile(50) : double.NaN;

    /// <summary>The raw transaction behind a bare Kestrel endpoint (<see cref="HttpFloor"/>): what the HTTP hop alone costs.</summary>
    public LoadRun? Floor { get; init; }

    /// <summary>The floor's p50 over the raw transaction's: the least any HTTP endpoint in front of it could reach here.</summary>
    public double FloorRatio => Floor is { } run ? run.Percentile(50) / RawTransaction.Percentile(50) : double.NaN;

    /// <summary>Our p50 over the floor's: what our code adds to the HTTP hop.</summary>
    public double P50OverFloor => Floor is { } run ? Ours.Percentile(50) / run.Percentile(50) : double.NaN;

    public double Ratio => Ours.Throughput / Raw.Throughput;

    /// <summary>Our p50 over the p50 of the transaction our Sets send, measured in the same run (target: within 1.3 at one client).</summary>
    public double P50Ratio => Ours.Percentile(50) / RawTransaction.Percentile(50);

    public double EventLatency(double p) => new LoadRun(EventLatenciesMs.Length, TimeSpan.FromSeconds(1), EventLatenciesMs).Percentile(p);
}

/// <summary>
/// Set throughput and latency through the same host `presence serve` runs (Kestrel, loopback HTTP, Basic
/// auth from cache) on Azurite, beside the storage operations a Set performs sent raw with Azure.Data.Tables (the
/// If-Match transaction taking the sent row over, the same with a new outbox row, and a new row's transaction plus its
/// removal) and beside the HTTP floor (<see cref="HttpFloor"/>: the transaction behind a bare Kestrel endpoint).
/// </summary>
public sealed class SetThroughputBench(int associates, TimeSpan duration)
{
    private const string User = "bench";

    /// <summary>
    /// How long each measurement runs before the next takes its turn (so the run's length sets the number of rounds,
    /// never the slice). Each slice starts again at its worker's first
    /// keys, so the associates our Sets reach in one slice are Set again one round (six 0.6 s slices, ~4 s) later: within the
    /// outbox's default 5 s cleanup delay, as in an unbroken run over the default 1000 associates at these rates (each
    /// one every 2-3 s). That is a workload of associates who change often, and their sent rows fold; the host that
    /// removes rows at once stands for those who change rarely, where nothing folds. Both are reported.
    /// </summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(600);
    private static readonly string Password = Guid.NewGuid().ToString("N");

    public async Task<List<SetThroughputRow>> RunAsync(IReadOnlyList<int> concurrencies, Action<string, double> progress, CancellationToken cancellationToken)
    {
        // Each host on its own Azurite (one Node.js thread each): the rows a host leaves to its cleanup are removed when
        // they are due, and that must land on its own storage, never in the middle of another system's measurement.
        await using var azurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, cancellationToken).ConfigureAwait(false);
        await using var atOnceAzurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, cancellationToken).ConfigureAwait(false);
        await using var rawAzurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, cancellationToken).ConfigureAwait(false);
        var counter = new RoundTripCounter();
        await using var app = await StartHostAsync(azurite.ConnectionString, counter, cleanupDelaySeconds: null, cancellationToken).ConfigureAwait(false);
        await using var atOnce = await StartHostAsync(atOnceAzurite.ConnectionString, new RoundTripCounter(), cleanupDelaySeconds: 0, cancellationToken).ConfigureAwait(false);
        using var http = Client(app);
        using var atOnceHttp = Client(atOnce);
        var atOnceQueue = atOnce.Services.GetRequiredService<EventDispatchQueue>();
        var queue = app.Services.GetRequiredService<EventDispatchQueue>();
        var sentRows = app.Services.GetRequiredService<SentOutboxRows>();
        using var latencies = new EventLatencies();
        // The raw workloads and the floor share an Azurite (they send nothing after their answer), each with a table of
        // its own: on Azurite an update costs time in proportion to its table, so no workload's rows slow another's.
        var rawTables = new TableServiceClient(rawAzurite.ConnectionString);
        var raw = new RawStorageWorkload(rawTables.GetTableClient("raw" + Guid.NewGuid().ToString("N")), takeOver: true);
        var rawNewRow = new RawStorageWorkload(rawTables.GetTableClient("rawnewrow" + Guid.NewGuid().ToString("N")), takeOver: false);
        var rawDelete = new RawStorageWorkload(rawTables.GetTableClient("rawdelete" + Guid.NewGuid().ToString("N")), takeOver: false);
        var floorStorage = new RawStorageWorkload(rawTables.GetTableClient("floor" + Guid.NewGuid().ToString("N")), takeOver: true);

        // Every associate set once first: the measured Sets are steady state (status rows exist, ETags known).
        progress("warming up", 0);
        await raw.PrepareAsync(associates, cancellationToken).ConfigureAwait(false);
        await rawNewRow.PrepareAsync(associates, cancellationToken).ConfigureAwait(false);
        await rawDelete.PrepareAsync(associates, cancellationToken).ConfigureAwait(false);
        await floorStorage.PrepareAsync(associates, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(Enumerable.Range(0, associates), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            await SetAsync(http, key, -1, ct).ConfigureAwait(false);
            await SetAsync(atOnceHttp, key, -1, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        // The floor answers with the body of a Set's answer, so the same body crosses the wire both ways.
        var (answer, contentType) = await AnswerOfASetAsync(http, cancellationToken).ConfigureAwait(false);
        await using var floor = await HttpFloor.StartAsync(floorStorage, answer, contentType, cancellationToken).ConfigureAwait(false);
        using var floorHttp = Client(floor.Address);

        var rows = new List<SetThroughputRow>();
        // The six take turns in short slices, so a slow moment of this (shared, virtual) machine lands on all of
        // them alike instead of on whichever ran through it: run one after the other, the one-client ratio wandered
        // between 0.98 and 2.0 from run to run.
        var slice = Slice;
        var rounds = Math.Max(1, (int)Math.Round(duration / Slice));
        foreach (var concurrency in concurrencies)
        {
            var (rawTransaction, rawNewRowRun, floorRun, rawRun, ours, oursAtOnce) = (new List<LoadRun>(), new List<LoadRun>(), new List<LoadRun>(), new List<LoadRun>(), new List<LoadRun>(), new List<LoadRun>());

            // Nothing left over from the warm-up or the last level: every row removed now, outside any measurement. Then one
            // slice of Sets unmeasured, so the first measured slice finds sent rows waiting, as every later one does.
            await queue.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
            await LoadRun.RunAsync(concurrency, slice, associates, (key, n, ct) => SetAsync(http, key, n - 1_000_000, ct), p => progress($"presence Sets, concurrency {concurrency}, unmeasured", 0), cancellationToken).ConfigureAwait(false);
            await queue.WhenCaughtUpAsync(cancellationToken).ConfigureAwait(false);
            counter.Reset();
            latencies.Clear();
            var foldedBefore = sentRows.Folded;
            for (var round = 0; round < rounds; round++)
            {
                var done = (double)round / rounds;
                rawTransaction.Add(await LoadRun.RunAsync(concurrency, slice, associates, raw.CommitAsync, p => progress($"raw transaction, concurrency {concurrency}", done + (p / rounds)), cancellationToken).ConfigureAwait(false));
                rawNewRowRun.Add(await LoadRun.RunAsync(concurrency, slice, associates, rawNewRow.CommitAsync, p => progress($"raw transaction with a new outbox row, concurrency {concurrency}", done + (p / rounds)), cancellationToken).ConfigureAwait(false));
                floorRun.Add(await LoadRun.RunAsync(concurrency, slice, associates, (key, n, ct) => FloorAsync(floorHttp, key, n, ct), p => progress($"raw transaction behind a bare HTTP endpoint, concurrency {concurrency}", done + (p / rounds)), cancellationToken).ConfigureAwait(false));
                rawRun.Add(await LoadRun.RunAsync(concurrency, slice, associates, rawDelete.SetAsync, p => progress($"raw transaction + delete, concurrency {concurrency}", done + (p / rounds)), cancellationToken).ConfigureAwait(false));
                ours.Add(await LoadRun.RunAsync(concurrency, slice, associates, (key, n, ct) => SetAsync(http, key, n + (round * 1_000_000), ct), p => progress($"presence Sets, concurrency {concurrency}", done + (p / rounds)), cancellationToken).ConfigureAwait(false));
                // Its events and the removals now due finish before the next slice; sent rows still waiting for their
                // associate's next Set stay waiting, as they would in an unbroken run (removing them here would do their work unmeasured).
                await queue.WhenCaughtUpAsync(cancellationToken).ConfigureAwait(false);
                oursAtOnce.Add(await LoadRun.RunAsync(concurrency, slice, associates, (key, n, ct) => SetAsync(atOnceHttp, key, n + (round * 1_000_000), ct), p => progress($"presence Sets, rows removed at once, concurrency {concurrency}", done + (p / rounds)), cancellationToken).ConfigureAwait(false));
                await atOnceQueue.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
            }

            var set = LoadRun.Combine(ours);
            rows.Add(new SetThroughputRow(concurrency, set, LoadRun.Combine(rawTransaction), LoadRun.Combine(rawRun), (double)counter.Count / set.Operations, (double)counter.OffPath / set.Operations, latencies.ToArray())
            {
                FoldedPerSet = (double)(sentRows.Folded - foldedBefore) / set.Operations,
                OursAtOnce = LoadRun.Combine(oursAtOnce),
                Floor = LoadRun.Combine(floorRun),
                RawNewRow = LoadRun.Combine(rawNewRowRun),
            });
        }

        return rows;
    }

    private static async Task SetAsync(HttpClient http, int key, int n, CancellationToken cancellationToken)
    {
        using var response = await PutAsync(http, AssociatePath(key), n, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same request a Set sends, to the floor.</summary>
    private static async Task FloorAsync(HttpClient http, int key, int n, CancellationToken cancellationToken)
    {
        using var response = await PutAsync(http, HttpFloor.PathOf(key), n, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(byte[] Body, string ContentType)> AnswerOfASetAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await PutAsync(http, AssociatePath(0), -2, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), response.Content.Headers.ContentType!.ToString());
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, string path, int n, CancellationToken cancellationToken)
    {
        // Every Set is a change (a new message each time), so each one commits and publishes.
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"Status": {{1 + (n & 1)}}, "Message": "bench {{n}}"}""");
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await http.PutAsync(path, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
        }

        return response;
    }

    private static string AssociatePath(int key) => string.Create(CultureInfo.InvariantCulture, $"api/v1/User/{key + 1}/UserPresenceStatus");

    /// <param name="cleanupDelaySeconds">Null keeps the default a deployment runs with.</param>
    private static async Task<WebApplication> StartHostAsync(string connectionString, RoundTripCounter counter, int? cleanupDelaySeconds, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["PresenceStorage"] = connectionString,
            ["Serve:Timers"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (cleanupDelaySeconds is { } seconds)
        {
            settings["Outbox:CleanupDelaySeconds"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var app = LocalFunctionHost.Build(
            settings,
            builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Services.AddSingleton<IPresenceEventPublisher, DiscardingPublisher>();
                builder.Services.Configure<TableClientOptions>("Default", o => o.AddPolicy(counter, HttpPipelinePosition.PerCall));
            });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await app.Services.GetRequiredService<CredentialStore>().AddOrUpdateUserAsync(User, Password, 1, isAdministrator: true, cancellationToken).ConfigureAwait(false);
        return app;
    }

    private static HttpClient Client(WebApplication app) =>
        Client(LoopbackAddress.Of(app));

    private static HttpClient Client(Uri address)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = address,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password)));
        return http;
    }
}

/// <summary>Collects the dispatch latency of presence events (commit queued to transport accepted) from the app's meter.</summary>
public sealed class EventLatencies : IDisposable
{
    private readonly System.Diagnostics.Metrics.MeterListener listener = new();
    private readonly List<double> values = [];

    public EventLatencies()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PresenceFunctions.Observability.PresenceMetrics.MeterName && instrument.Name == "presence.events.dispatch_latency")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "kind", Value: "presence" })
                {
                    lock (values)
                    {
                        values.Add(value);
                    }
                }
            }
        });
        listener.Start();
    }

    public void Clear()
    {
        lock (values)
        {
            values.Clear();
        }
    }

    public double[] ToArray()
    {
        lock (values)
        {
            return [.. values];
        }
    }

    public void Dispose() => listener.Dispose();
}
