using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Http;

public sealed class HealthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task HealthIs200WhenStorageAnswersAndNamesHowEventsTravel()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/health");

        var body = JsonDocument.Parse(await response.AssertAsync(200, "application/json")).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal("in-process", body.GetProperty("checks").GetProperty("serviceBus").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task HealthIs503WhenStorageIsUnreachableAndGivesNothingAway()
    {
        var port = AzuriteProcess.FreePort();
        await using var api = await TestApi.StartAsync(DevelopmentStorage.ConnectionString(port), signedIn: false);

        var response = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/health");

        var text = await response.AssertAsync(503, "application/json");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthIs503WhenServiceBusIsConfiguredButUnreachable()
    {
        await using var api = await TestApi.StartAsync(azurite, services => services.UseServiceBus(new UnreachableSender()));

        var response = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/health");

        var body = JsonDocument.Parse(await response.AssertAsync(503, "application/json")).RootElement;
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("serviceBus").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
    }

    [Fact]
    public async Task HealthIsComputedAtMostOncePerFiveSecondsAndServedFromCacheMeanwhile()
    {
        var recorder = new StorageRequestRecorder();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await TestApi.StartAsync(azurite, services =>
        {
            recorder.Install(services);
            services.AddSingleton<TimeProvider>(clock);
        });
        int Checks() => recorder.Requests.Count(r => r.Contains("PartitionKey='health'", StringComparison.Ordinal));

        for (var i = 0; i < 5; i++)
        {
            await (await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/health")).AssertAsync(200, "application/json");
        }

        Assert.Equal(1, Checks());
        clock.Advance(TimeSpan.FromSeconds(4.9));
        await (await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/health")).AssertAsync(200, "application/json");
        Assert.Equal(1, Checks());

        clock.Advance(TimeSpan.FromSeconds(0.2));
        await (await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/health")).AssertAsync(200, "application/json");
        Assert.Equal(2, Checks());
    }

    [Fact]
    public async Task ConcurrentHealthCallsShareOneComputation()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TestApi.StartAsync(azurite, services => recorder.Install(services));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/health")));

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal(1, recorder.Requests.Count(r => r.Contains("PartitionKey='health'", StringComparison.Ordinal)));
    }

    private sealed class UnreachableSender : Azure.Messaging.ServiceBus.ServiceBusSender
    {
        public override ValueTask<Azure.Messaging.ServiceBus.ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default) =>
            throw new Azure.Messaging.ServiceBus.ServiceBusException("unreachable (simulated)", Azure.Messaging.ServiceBus.ServiceBusFailureReason.ServiceCommunicationProblem);
    }
}
