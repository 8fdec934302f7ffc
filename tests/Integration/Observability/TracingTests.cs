using System.Collections.Concurrent;
using System.Diagnostics;
using PresenceFunctions.Observability;
using PresenceFunctions.Rebalancing;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Observability;

/// <summary>One trace from the HTTP Set, through the Service Bus message, into the rebalance pass.</summary>
public sealed class TracingTests(AzuriteFixture azurite)
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string TraceParent = "00-" + TraceId + "-b7ad6b7169203331-01";

    private static Dictionary<string, string> Traced() => new() { ["traceparent"] = TraceParent };

    [Fact]
    public async Task TheTraceContextOfAnHttpSetReachesThePublishedMessage()
    {
        var sender = new FlakySender();
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));

        await (await api.SendAsync(api.Client, HttpMethod.Put, "/api/v1/User/61/UserPresenceStatus", """{"Status": 2}""", "application/json", headers: Traced()))
            .AssertAsync(200, "application/json");

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

        var pass = Assert.Single(passes, a => a.OperationName == "RebalanceTickets" && Equals(a.GetTagItem("presence.associate_id"), 63));
        Assert.Equal(TraceId, pass.TraceId.ToHexString());
        Assert.Equal("presence-63-1", pass.GetTagItem("presence.event_id"));
    }
}
