using PresenceFunctions.Cli.Serve;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tests.Integration.Reliability;

namespace PresenceFunctions.Tests.Integration.Observability;

/// <summary>
/// `presence serve --traces`. Alone, because ASP.NET Core's request spans are process-wide: a test running beside
/// it would print its own requests into this console.
/// </summary>
[Collection(nameof(MeasuredAlone))]
public sealed class ServeTracesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ServeTracesPrintsEverySpanOfASetAsOneLineWithItsTraceAndParent()
    {
        using var console = new StringWriter();
        var output = TextWriter.Synchronized(console);
        await using var api = await TestApi.StartAsync(azurite, services => ServeCommand.PrintSpans(services, output));

        await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/68/UserPresenceStatus", """{"Status": 2}""", "application/json")).AssertAsync(200, "application/json");
        await api.SettledAsync(); // the publish span comes after the answer

        var lines = await TracingTests.WaitForAsync(() => TracingTests.Written(console, output), l => l.Any(x => x.StartsWith("span PUT /api/v1/User/{associateId}/UserPresenceStatus ", StringComparison.Ordinal)));
        var requestLine = Assert.Single(lines, l => l.StartsWith("span PUT /api/v1/User/{associateId}/UserPresenceStatus ", StringComparison.Ordinal));
        var trace = TracingTests.SpanLine().Match(requestLine);
        Assert.True(trace.Success, requestLine);
        Assert.Equal("-", trace.Groups["parent"].Value);
        var publish = TracingTests.SpanLine().Match(Assert.Single(lines, l => l.StartsWith("span PublishPresenceChanged ", StringComparison.Ordinal)));
        Assert.Equal(trace.Groups["trace"].Value, publish.Groups["trace"].Value);
        Assert.Equal(trace.Groups["span"].Value, publish.Groups["parent"].Value);
        Assert.All(lines, l => Assert.Matches(TracingTests.SpanLine(), l));

        // Startup's storage calls belong to no request: left out, so every line printed has a parent or is the request.
        Assert.All(lines, l => Assert.True(TracingTests.SpanLine().Match(l).Groups["parent"].Value != "-" || l == requestLine, l));
    }
}
