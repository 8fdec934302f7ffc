using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry.Trace;
using PresenceFunctions.Observability;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Observability;

/// <summary>One trace from the HTTP Set, through the Service Bus message, into the rebalance pass.</summary>
public sealed partial class TracingTests(AzuriteFixture azurite)
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string TraceParent = "00-" + TraceId + "-b7ad6b7169203331-01";

    private static Dictionary<string, string> Traced() => new() { ["traceparent"] = TraceParent };

    // The app registers its telemetry as Program.cs and `presence serve` do (TestApi builds serve's app);
    // the test only adds an exporter that keeps the finished spans.
    [Fact]
    public async Task TheHttpRequestThePublishAndTheRebalancePassOfOneSetAreOneTrace()
    {
        var spans = new Spans();
        await using var api = await TestApi.StartAsync(azurite, services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        await api.Get<TicketStore>().SaveCategoryAsync(new Category(65, "Traced", AssignmentMethod.FewestOpen, 0, false, 0), [new(65, 1), new(66, 1)], TestContext.Current.CancellationToken);

        await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/65/UserPresenceStatus", """{"Status": 2}""", "application/json")).AssertAsync(200, "application/json");

        var request = await SingleSpanAsync(spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") is "/api/v1/User/65/UserPresenceStatus");
        var publish = await SingleSpanAsync(spans, s => s.OperationName == "PublishPresenceChanged" && Equals(s.GetTagItem("presence.associate_id"), 65));
        var pass = await SingleSpanAsync(spans, s => s.OperationName == "RebalanceTickets" && Equals(s.GetTagItem("presence.associate_id"), 65));
        Assert.Equal(default, request.ParentSpanId);
        Assert.Equal(request.TraceId, publish.TraceId);
        Assert.Equal(request.TraceId, pass.TraceId);
        Assert.Equal(request.SpanId, publish.ParentSpanId);
        Assert.Equal(publish.SpanId, pass.ParentSpanId);
    }

    [Fact]
    public async Task AnEventTheRelaySendsLaterIsPublishedInTheTraceOfTheRequest()
    {
        var spans = new Spans();
        var sender = new FlakySender { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender).ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/67/UserPresenceStatus", """{"Status": 2}""", "application/json")).AssertAsync(200, "application/json");
        var request = await SingleSpanAsync(spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") is "/api/v1/User/67/UserPresenceStatus");
        await api.SettledAsync(); // the queue's attempt, after the answer, has failed

        sender.Failing = false;
        await api.Get<PresenceFunctions.Events.OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken);

        var publishes = spans.Snapshot().Where(s => s.OperationName == "PublishPresenceChanged" && Equals(s.GetTagItem("presence.associate_id"), 67)).ToList();

        // The failed attempt from the queue, then the relay's: both children of the request.
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Unset], publishes.Select(p => p.Status));
        Assert.All(publishes, p => Assert.Equal((request.TraceId, request.SpanId), (p.TraceId, p.ParentSpanId)));
        var message = Assert.Single(sender.Sent);
        Assert.Equal(publishes[1].Id, message.ApplicationProperties["traceparent"]);
    }

    [Fact]
    public async Task TheTraceContextOfAnHttpSetReachesThePublishedMessage()
    {
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));

        await (await api.SendAsync(api.Client, HttpMethod.Put, "/api/v1/User/61/UserPresenceStatus", """{"Status": 2}""", "application/json", headers: Traced()))
            .AssertAsync(200, "application/json");
        await api.SettledAsync();

        var message = Assert.Single(sender.Sent);
        Assert.Equal(TraceId, ActivityContext.Parse((string)message.ApplicationProperties["Diagnostic-Id"], null).TraceId.ToHexString());
        Assert.Equal(TraceId, ActivityContext.Parse((string)message.ApplicationProperties["traceparent"], null).TraceId.ToHexString());
    }

    [Fact]
    public async Task AnEventTheRelaySendsLaterStillCarriesTheRequestsTrace()
    {
        var sender = new FlakySender { Failing = true };
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));
        await api.SendAsync(api.Client, HttpMethod.Put, "/api/v1/User/62/UserPresenceStatus", """{"Status": 2}""", "application/json", headers: Traced());
        await api.SettledAsync();

        sender.Failing = false;
        await api.Get<PresenceFunctions.Events.OutboxRelay>().RelayAsync(TestContext.Current.CancellationToken);

        var message = Assert.Single(sender.Sent);
        Assert.Equal(TraceId, ActivityContext.Parse((string)message.ApplicationProperties["Diagnostic-Id"], null).TraceId.ToHexString());
    }

    [Fact]
    public async Task TheRebalancePassContinuesTheTraceOfTheRequestThatMadeTheChange()
    {
        var passes = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PresenceTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = passes.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var api = await TestApi.StartAsync(azurite);
        await api.Get<TicketStore>().SaveCategoryAsync(new Category(63, "Traced", AssignmentMethod.FewestOpen, 0, false, 0), [new(63, 1), new(64, 1)], TestContext.Current.CancellationToken);

        await api.SendAsync(api.Client, HttpMethod.Put, "/api/v1/User/63/UserPresenceStatus", """{"Status": 2}""", "application/json", headers: Traced());
        await api.SettledAsync(); // the pass runs after the answer

        var pass = Assert.Single(passes, a => a.OperationName == "RebalanceTickets" && Equals(a.GetTagItem("presence.associate_id"), 63));
        Assert.Equal(TraceId, pass.TraceId.ToHexString());
        Assert.Equal("presence-63-1", pass.GetTagItem("presence.event_id"));
    }

    [GeneratedRegex(@"^span .+ trace=(?<trace>[0-9a-f]{32}) span=(?<span>[0-9a-f]{16}) parent=(?<parent>[0-9a-f]{16}|-) \d+\.\d ms\r?$")]
    internal static partial Regex SpanLine();

    /// <summary>The server span ends as the response is sent, so it may reach the exporter just after the client sees the answer.</summary>
    private static async Task<Activity> SingleSpanAsync(Spans spans, Func<Activity, bool> match) =>
        Assert.Single(await WaitForAsync(() => spans.Snapshot().Where(match).ToList(), f => f.Count > 0));

    // A synchronized TextWriter locks itself while writing.
    internal static List<string> Written(StringWriter console, TextWriter output)
    {
        lock (output)
        {
            return [.. console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
    }

    internal static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var value = read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
            value = read();
        }

        return value;
    }

    /// <summary>What the in-memory exporter adds from the server's threads, read by the test without a race.</summary>
    private sealed class Spans : Collection<Activity>
    {
        private readonly Lock gate = new();

        public List<Activity> Snapshot()
        {
            lock (gate)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (gate)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
