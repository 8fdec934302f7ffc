using System.Diagnostics;
using System.Globalization;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Reliability;

/// <summary>
/// Process-wide memory figures (allocated and retained bytes), so these run alone: any test running beside
/// them would count in their figures.
/// </summary>
[CollectionDefinition(nameof(MeasuredAlone), DisableParallelization = true)]
public sealed class MeasuredAlone;

/// <summary>What one request may cost the process: bounded by the body limit, and nothing kept per distinct header value (issue 10).</summary>
[Collection(nameof(MeasuredAlone))]
public sealed class BoundedWorkTests(AzuriteFixture azurite)
{
    private const string GetRoute = "/api/v1/Agents/User/GetUserPresenceStatus";

    /// <summary>One add and 19 copies, each doubling the document: 1.9 KB that grows to gigabytes when applied.</summary>
    private static readonly string CopyChain =
        "[" + $$"""{"op":"add","path":"/AssociateId","value":["{{new string('x', 700)}}"]}"""
        + string.Concat(Enumerable.Repeat(""",{"op":"copy","from":"/AssociateId","path":"/AssociateId/-"}""", 19))
        + "]";

    [Fact]
    public async Task ACopyChainJsonPatchIs400FastAndAllocatesAFewMegabytesAtMost()
    {
        await using var api = await TestApi.StartAsync(azurite);
        const string warmUp = """[{"op":"add","path":"/AssociateId","value":259}]""";
        (await api.SendAsync(HttpMethod.Post, GetRoute, warmUp, "application/json-patch+json")).EnsureSuccessStatusCode();
        (await api.SendAsync(HttpMethod.Post, GetRoute, CopyChain, "application/json-patch+json")).Dispose();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.StartNew();
        var response = await api.SendAsync(HttpMethod.Post, GetRoute, CopyChain, "application/json-patch+json");
        var elapsed = started.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        TestContext.Current.TestOutputHelper?.WriteLine($"copy chain: {elapsed.TotalMilliseconds:F1} ms, {allocated:N0} bytes allocated");
        var body = await response.AssertAsync(400, "application/json");
        Assert.Contains("operation 2 (copy)", body, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(100), $"took {elapsed.TotalMilliseconds:F0} ms");
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task TenThousandDistinctCultureAndTimeZoneValuesRetainLessThanTwoMegabytes()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SendLocalesAsync(api, from: -2000, count: 2000);
        var before = RetainedBytes();

        await SendLocalesAsync(api, from: 0, count: 10_000);

        var grown = RetainedBytes() - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"10,000 distinct values: {grown:N0} bytes retained");
        Assert.True(grown < 2 * 1024 * 1024, $"retained {grown:N0} more bytes");
    }

    /// <summary>
    /// Values .NET accepts (before issue 10 it resolved them and cached each distinct one): the same zone
    /// file through a distinct path, and a private-use culture suffix.
    /// </summary>
    private static async Task SendLocalesAsync(TestApi api, int from, int count)
    {
        for (var batch = from; batch < from + count; batch += 20)
        {
            await Task.WhenAll(Enumerable.Range(batch, 20).Select(async i =>
            {
                var bits = Convert.ToString(i + 100_000, 2).Replace("0", "/", StringComparison.Ordinal).Replace("1", "/./", StringComparison.Ordinal);
                var headers = new Dictionary<string, string>
                {
                    ["SO-Language"] = "en",
                    ["SO-Culture"] = "en-US-x-c" + i.ToString(CultureInfo.InvariantCulture).Replace('-', 'm'),
                    ["SO-TimeZone"] = "Europe" + bits + "Oslo",
                };
                using var response = await api.SendAsync(api.Client, HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus", headers: headers);
                Assert.Equal(200, (int)response.StatusCode);
            }));
        }
    }

    private static long RetainedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
