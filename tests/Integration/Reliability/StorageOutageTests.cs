using System.Collections.Concurrent;
using System.Text.Json;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Events;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Reliability;

/// <summary>Storage goes away in the middle of a load and comes back: 503s meanwhile, never a 500 or a partial row, then recovery.</summary>
public sealed class StorageOutageTests
{
    private const int Associates = 8;

    [Fact]
    public async Task WhileStorageIsDownRequestsAre503AndTheServiceRecoversByItselfWhenItReturns()
    {
        var ct = TestContext.Current.CancellationToken;
        var location = Directory.CreateTempSubdirectory("presence-outage-");
        var port = AzuriteProcess.FreePort();
        var azurite = await AzuriteProcess.StartAsync(port, location.FullName, ct);
        var sender = new FlakySender();
        try
        {
            await using var api = await TestApi.StartAsync(DevelopmentStorage.ConnectionString(port), services => services.UseServiceBus(sender));
            var results = new ConcurrentQueue<(DateTime At, int Status, string Body, bool RetryAfter)>();
            using var stop = new CancellationTokenSource();
            var load = Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var response = await api.SendAsync(
                        HttpMethod.Put,
                        $"/api/v1/User/{1 + ((writer + n) % Associates)}/UserPresenceStatus",
                        $$"""{"Status": {{1 + (n % 2)}}, "Message": "w{{writer}} n{{n}}"}""",
                        "application/json");
                    results.Enqueue((DateTime.UtcNow, (int)response.StatusCode, await response.Content.ReadAsStringAsync(ct), response.Headers.RetryAfter is not null));
                }
            }, ct))).WaitAsync(TimeSpan.FromMinutes(2), ct);

            await WaitUntilAsync(() => results.Count(r => r.Status == 200) >= 20, ct);
            await azurite.StopAsync();
            var down = DateTime.UtcNow;
            await WaitUntilAsync(() => results.Count(r => r.At > down && r.Status == 503) >= 8, ct);

            azurite = await AzuriteProcess.StartAsync(port, location.FullName, ct);
            var up = DateTime.UtcNow;
            await WaitUntilAsync(() => results.Count(r => r.At > up && r.Status == 200) >= 20, ct);
            await stop.CancelAsync();
            await load;

            // Never anything but success or "unavailable, retry", and every 503 is the contract's error body.
            Assert.All(results, r => Assert.True(r.Status is 200 or 503, $"{r.Status}: {r.Body}"));
            Assert.All(results.Where(r => r.Status == 503), r =>
            {
                Assert.True(r.RetryAfter);
                var error = JsonDocument.Parse(r.Body).RootElement;
                Assert.True(error.GetProperty("Error").GetBoolean());
                Assert.Equal("ServiceUnavailable", error.GetProperty("ErrorType").GetString());
            });

            // No partial change: every associate's versions run without gaps, each with its history row,
            // and once the relay has run every committed change has been published under its own id.
            await api.SettledAsync();
            await api.Get<OutboxRelay>().RelayAsync(ct);
            var published = sender.Sent.Select(m => m.MessageId).ToHashSet();
            for (var associate = 1; associate <= Associates; associate++)
            {
                var rows = await api.RowsAsync(associate);
                var version = rows.Single(r => r.RowKey == PresenceRows.Status).GetInt64("Version")!.Value;
                var history = rows.Where(r => r.RowKey.StartsWith(PresenceRows.HistoryPrefix, StringComparison.Ordinal)).Select(r => r.GetInt64("Version")!.Value).Order();
                Assert.Equal(Enumerable.Range(1, (int)version).Select(v => (long)v), history);
                Assert.DoesNotContain(rows, r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal));
                Assert.All(Enumerable.Range(1, (int)version), v => Assert.Contains($"presence-{associate}-{v}", published));
            }
        }
        finally
        {
            await azurite.DisposeAsync();
            location.Delete(recursive: true);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the load to reach the next stage.");
            await Task.Delay(100, ct);
        }
    }
}
