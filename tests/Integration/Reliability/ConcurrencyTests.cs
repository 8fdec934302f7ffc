using System.Globalization;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Reliability;

/// <summary>Many writers at once, in one process and across two: nothing lost, nothing doubled, versions without gaps.</summary>
public sealed class ConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TwoHundredConcurrentSetsOverTwentyAssociatesLoseNothing()
    {
        // Two app instances on the same tables: races inside one process queue on its lock, across the two on ETags.
        var sender = new FlakySender();
        await using var first = await TestApi.StartAsync(azurite, services => services.UseServiceBus(sender));
        await using var second = await TestApi.StartAsync(
            azurite,
            services => services.UseServiceBus(sender),
            new Dictionary<string, string?> { ["Tables:Presence"] = first.PresenceTable.Name });
        var apis = new[] { first, second };

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var associate = 1000 + (i % 20);
            var status = (i / 20) % 2 == 0 ? "StatusNotAvailable" : "StatusNormal";
            var response = await apis[i % 2].SendAsync(
                HttpMethod.Put,
                $"/api/v1/User/{associate}/UserPresenceStatus",
                $$"""{"Status": "{{status}}", "Message": "change {{i}}"}""",
                "application/json");
            return (int)response.StatusCode;
        }));

        Assert.All(responses, status => Assert.Equal(200, status));
        await first.SettledAsync(); // events are published after the answers
        await second.SettledAsync();
        var published = sender.Sent.Select(m => m.MessageId).ToList();
        foreach (var associate in Enumerable.Range(1000, 20))
        {
            var rows = await first.RowsAsync(associate);
            var status = rows.Single(r => r.RowKey == PresenceRows.Status);
            var history = rows.Where(r => r.RowKey.StartsWith(PresenceRows.HistoryPrefix, StringComparison.Ordinal))
                .OrderBy(r => r.GetInt64("Version")).ToList();

            // Ten distinct changes each: versions 1..10 without gaps, one history row each.
            Assert.Equal(Enumerable.Range(1, 10).Select(v => (long)v), history.Select(h => h.GetInt64("Version")!.Value));
            Assert.Equal(10L, status.GetInt64("Version"));

            // The stored status is the last committed change, and each change names the one before it.
            Assert.Equal(history[^1].GetString("Message"), status.GetString("Message"));
            Assert.Equal(history[^1].GetString("Status"), status.GetString("Status"));
            for (var v = 1; v < history.Count; v++)
            {
                Assert.Equal(history[v - 1].GetString("Status"), history[v].GetString("PreviousStatus"));
            }

            // Exactly one published event per change, under its own MessageId, and nothing left in the outbox.
            var expected = Enumerable.Range(1, 10).Select(v => string.Create(CultureInfo.InvariantCulture, $"presence-{associate}-{v}"));
            Assert.Equal(expected.Order(), published.Where(id => id.StartsWith($"presence-{associate}-", StringComparison.Ordinal)).Order());
            Assert.DoesNotContain(rows, r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal));
        }

        Assert.Equal(200, published.Count);
    }
}
