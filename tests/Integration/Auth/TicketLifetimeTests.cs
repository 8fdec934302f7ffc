using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Auth;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Auth;

/// <summary>Tickets have a capped lifetime, and expired ones do not stay in the Credentials table.</summary>
public sealed class TicketLifetimeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ATicketLongerThanMaxTicketLifetimeIsRefusedAndOneAtTheCapIsIssued()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?> { ["Auth:MaxTicketLifetime"] = "2.00:00:00" });

        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => api.Credentials.IssueSoTicketAsync(3, false, TimeSpan.FromDays(2.5), ct));
        Assert.Contains("Auth__MaxTicketLifetime", refused.Message, StringComparison.Ordinal);
        var issued = await api.Credentials.IssueSoTicketAsync(3, false, TimeSpan.FromDays(2), ct);
        Assert.NotNull(await api.Credentials.FindSoTicketAsync(issued.Ticket, ct));
    }

    [Fact]
    public async Task ByDefaultATicketLivesAtMostThirtyDays()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await TestApi.StartAsync(azurite);

        Assert.Equal(TimeSpan.FromDays(30), api.Credentials.MaxTicketLifetime);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => api.Credentials.IssueSoTicketAsync(3, false, TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1), ct));
    }

    [Fact]
    public async Task ExpiredTicketsAreRemovedInBoundedRunsAndLiveOnesStay()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await TestApi.StartAsync(azurite, services => services.AddSingleton<TimeProvider>(time));
        var expiring = await Task.WhenAll(Enumerable.Range(0, 150).Select(_ => api.Credentials.IssueSoTicketAsync(4, false, TimeSpan.FromHours(1), ct)));
        var live = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.Credentials.IssueSoTicketAsync(4, false, TimeSpan.FromDays(1), ct)));
        var purge = api.Get<ExpiredSoTicketPurge>();

        Assert.Equal(0, await purge.PurgeAsync(ExpiredSoTicketPurge.DefaultMaxRows, ct));
        time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(100, await purge.PurgeAsync(100, ct));
        Assert.Equal(50, await purge.PurgeAsync(ExpiredSoTicketPurge.DefaultMaxRows, ct));
        Assert.Equal(0, await purge.PurgeAsync(ExpiredSoTicketPurge.DefaultMaxRows, ct));
        foreach (var ticket in expiring)
        {
            Assert.Null(await api.Credentials.FindSoTicketAsync(ticket.Ticket, ct));
        }

        foreach (var ticket in live)
        {
            Assert.NotNull(await api.Credentials.FindSoTicketAsync(ticket.Ticket, ct));
        }

        Assert.True(await api.Credentials.AnyUserAsync(ct)); // users live in their own partition, untouched
    }
}
