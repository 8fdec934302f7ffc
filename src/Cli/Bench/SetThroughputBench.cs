using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Cli.Hosting;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Cli.Bench;

/// <summary>One concurrency level: our Sets through the local host against the same storage work sent straight to Azurite.</summary>
public sealed record SetThroughputRow(int Concurrency, LoadRun Ours, LoadRun Raw, double RoundTripsPerSet)
{
    public double Ratio => Ours.Throughput / Raw.Throughput;
}

/// <summary>
/// Set throughput and latency through the same host `presence serve` runs (Kestrel, loopback HTTP, Basic
/// auth from cache) on Azurite, beside the raw throughput of the storage operations a Set performs: the
/// If-Match transaction (status, history, outbox rows) and the outbox row's removal, with Azure.Data.Tables.
/// </summary>
public sealed class SetThroughputBench(int associates, TimeSpan duration)
{
    private const string User = "bench";
    private static readonly string Password = Guid.NewGuid().ToString("N");

    public async Task<List<SetThroughputRow>> RunAsync(IReadOnlyList<int> concurrencies, Action<string, double> progress, CancellationToken cancellationToken)
    {
        await using var azurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, cancellationToken).ConfigureAwait(false);
        var counter = new RoundTripCounter();
        await using var app = await StartHostAsync(azurite.ConnectionString, counter, cancellationToken).ConfigureAwait(false);
        using var http = Client(app);
        var raw = new RawStorageWorkload(new TableServiceClient(azurite.ConnectionString).GetTableClient("raw" + Guid.NewGuid().ToString("N")));

        // Every associate set once first: the measured Sets are steady state (status rows exist, ETags known).
        progress("warming up", 0);
        await raw.PrepareAsync(associates, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(Enumerable.Range(0, associates), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
            await SetAsync(http, key, -1, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var rows = new List<SetThroughputRow>();
        foreach (var concurrency in concurrencies)
        {
            var rawRun = await LoadRun.RunAsync(concurrency, duration, associates, raw.SetAsync, p => progress($"raw storage, concurrency {concurrency}", p), cancellationToken).ConfigureAwait(false);
            counter.Reset();
            var ours = await LoadRun.RunAsync(concurrency, duration, associates, (key, n, ct) => SetAsync(http, key, n, ct), p => progress($"presence Sets, concurrency {concurrency}", p), cancellationToken).ConfigureAwait(false);
            rows.Add(new SetThroughputRow(concurrency, ours, rawRun, (double)counter.Count / ours.Operations));
        }

        return rows;
    }

    private static async Task SetAsync(HttpClient http, int key, int n, CancellationToken cancellationToken)
    {
        // Every Set is a change (a new message each time), so each one commits and publishes.
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"Status": {{1 + (n & 1)}}, "Message": "bench {{n}}"}""");
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(AssociatePath(key), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"A Set answered {(int)response.StatusCode}.");
        }
    }

    private static string AssociatePath(int key) => string.Create(CultureInfo.InvariantCulture, $"api/v1/User/{key + 1}/UserPresenceStatus");

    private static async Task<WebApplication> StartHostAsync(string connectionString, RoundTripCounter counter, CancellationToken cancellationToken)
    {
        var app = LocalFunctionHost.Build(
            new Dictionary<string, string?>
            {
                ["PresenceStorage"] = connectionString,
                ["Serve:Timers"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            },
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

    private static HttpClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(address.TrimEnd('/') + "/"),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password)));
        return http;
    }
}

/// <summary>The storage work of one Set, sent straight to Table Storage: the floor no Set can beat.</summary>
public sealed class RawStorageWorkload(TableClient table)
{
    private readonly Dictionary<int, (ETag ETag, long Version)> state = [];
    private readonly string payload = new('x', 600);

    public async Task PrepareAsync(int associates, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(Enumerable.Range(0, associates), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            var response = await table.AddEntityAsync(Status(key, 0), ct).ConfigureAwait(false);
            lock (state)
            {
                state[key] = (response.Headers.ETag!.Value, 0);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Workers own disjoint keys, so one key's ETag is only ever touched by one worker.</summary>
    public async Task SetAsync(int key, int n, CancellationToken cancellationToken)
    {
        (ETag ETag, long Version) current;
        lock (state)
        {
            current = state[key];
        }

        var version = current.Version + 1;
        var partition = key.ToString(CultureInfo.InvariantCulture);
        var outbox = new TableEntity(partition, PresenceRows.Outbox(version)) { ["CloudEvent"] = payload };
        var response = await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, Status(key, version), current.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, PresenceRows.History(version)) { ["Status"] = "StatusNormal", ["Message"] = "bench" }),
                new TableTransactionAction(TableTransactionActionType.Add, outbox),
            ],
            cancellationToken).ConfigureAwait(false);
        lock (state)
        {
            state[key] = (response.Value[0].Headers.ETag!.Value, version);
        }

        await table.DeleteEntityAsync(partition, outbox.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity Status(int key, long version) => new(key.ToString(CultureInfo.InvariantCulture), PresenceRows.Status)
    {
        ["Status"] = "StatusNormal",
        ["Message"] = "bench",
        ["Version"] = version,
        ["ChangedAt"] = DateTimeOffset.UtcNow,
        ["ChangedBy"] = 1,
    };
}
