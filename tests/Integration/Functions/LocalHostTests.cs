using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Cli.Hosting;
using PresenceFunctions.Presence;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Functions;

/// <summary><c>presence serve</c> maps its routes and timers by hand; these hold them to the functions.metadata the Functions host reads.</summary>
public sealed class LocalHostTests
{
    [Fact]
    public async Task ServeMapsExactlyTheHttpFunctionsRoutesAndMethodsUnderTheirNames()
    {
        await using var app = Build(timers: false);
        await app.StartAsync(TestContext.Current.CancellationToken); // routing fills the endpoint data source as the app starts
        var served = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => Describe(e.DisplayName!, e.RoutePattern.RawText!["/api/".Length..], e.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods))
            .Order();
        var declared = from f in FunctionsMetadata.Functions()
                       from b in f.GetProperty("bindings").EnumerateArray()
                       where b.GetProperty("type").GetString() == "httpTrigger"
                       select Describe(f.GetProperty("name").GetString()!, b.GetProperty("route").GetString()!, b.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!));

        Assert.Equal(declared.Order(), served);
    }

    [Fact]
    public async Task ServeRunsTheTimerFunctionsOnTheirDeclaredSchedulesUnlessTimersAreOff()
    {
        await using var app = Build(timers: true);
        await using var off = Build(timers: false);
        var declared = from f in FunctionsMetadata.Functions()
                       from b in f.GetProperty("bindings").EnumerateArray()
                       where b.GetProperty("type").GetString() == "timerTrigger"
                       select (f.GetProperty("name").GetString()!, b.GetProperty("schedule").GetString()!);

        Assert.Equal(declared.Order(), app.Services.GetServices<IHostedService>().OfType<ScheduledRun>().Select(r => r.Timer).Order());
        Assert.Empty(off.Services.GetServices<IHostedService>().OfType<ScheduledRun>());
    }

    [Fact]
    public async Task AScheduledRunRunsAtEachOccurrenceAndNotBefore()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 10, TimeSpan.Zero));
        var runs = 0;
        using var run = new ScheduledRun("Every30Seconds", "*/30 * * * * *", _ => Task.FromResult(Interlocked.Increment(ref runs)), time, NullLogger<ScheduledRun>.Instance);
        await run.StartAsync(TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(0, Volatile.Read(ref runs));

        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => Volatile.Read(ref runs) == 1);
        time.Advance(TimeSpan.FromSeconds(30));
        await WaitForAsync(() => Volatile.Read(ref runs) == 2);
        await run.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WithoutServiceBusAnEventTheRebalancerCannotHandleIsDeliveredTenTimesInTheBackgroundThenGivenUp()
    {
        await using var app = Build(timers: false);
        var logger = new FakeLogger<InProcessRebalanceWorker>();
        var subscription = new InProcessSubscription([]);
        using var worker = new InProcessRebalanceWorker(subscription, app.Services.GetRequiredService<TicketRebalancer>(), TimeProvider.System, logger);
        await worker.StartAsync(TestContext.Current.CancellationToken);

        // Not a CloudEvent: every delivery fails before storage is touched, as a poison message would. Accepting it returns at once.
        await new InProcessEventPublisher(subscription).PublishAsync(
            new OutboxEvent(1, 1, "StatusAvailable", "presence-1-1", "outbox-1", "not an event"), TestContext.Current.CancellationToken);
        await subscription.WhenIdleAsync(TestContext.Current.CancellationToken);

        Assert.Equal(RebalanceSubscription.MaxDeliveryCount - 1, logger.Collector.GetSnapshot().Count(r => r.Level == LogLevel.Warning)); // one "retrying" per failed delivery but the last
        Assert.Equal(LogLevel.Error, logger.Collector.LatestRecord.Level); // then given up, as Service Bus dead-letters it
        Assert.Equal(10, RebalanceSubscription.MaxDeliveryCount);
        await worker.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WithoutServiceBusServeAcceptsAssignmentEventsAndLogsEachSoNoneStaysInTheOutbox()
    {
        await using var app = Build(timers: false);
        Assert.IsType<InProcessTicketEventPublisher>(app.Services.GetRequiredService<ITicketEventPublisher>());
        var logger = new FakeLogger<InProcessTicketEventPublisher>();
        TicketOutboxEvent[] events =
        [
            new(3, 5, 7, 2, "ticket-5-2", "outbox-5-2", "{}"),
            new(3, 6, 0, 1, "ticket-6-1", "outbox-6-1", "{}"),
        ];

        await new InProcessTicketEventPublisher(logger).PublishAsync(events, TestContext.Current.CancellationToken);

        Assert.Equal(["ticket-5-2", "ticket-6-1"], logger.Collector.GetSnapshot().Select(r => r.StructuredState!.Single(p => p.Key == "EventId").Value));
    }

    private static string Describe(string name, string route, IEnumerable<string> methods) =>
        $"{name} {route} {string.Join(",", methods.Select(m => m.ToUpperInvariant()).Order())}";

    private static WebApplication Build(bool timers) =>
        LocalFunctionHost.Build(new Dictionary<string, string?> { ["Serve:Timers"] = timers ? "true" : "false" }, b => b.WebHost.UseTestServer());

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The run did not happen within 10 s.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
