using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tests.Unit.Presence;

public sealed class PresenceExpiryRulesTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private static PresenceState Away(long version, DateTimeOffset? expiresAt) =>
        new PresenceState(12, UserStatus.StatusNotAvailable, "Dentist", version, Clock.GetUtcNow(), 12) { ExpiresAt = expiresAt };

    [Fact]
    public void AnExpiryIsDueFromItsTimeOnForTheVersionItWasSetWith()
    {
        var clock = new FakeTimeProvider(Clock.GetUtcNow());
        var state = Away(3, clock.GetUtcNow().AddHours(2));

        clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromTicks(1));
        Assert.False(PresenceExpiryRules.IsDue(state, 3, clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(PresenceExpiryRules.IsDue(state, 3, clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromDays(30));
        Assert.True(PresenceExpiryRules.IsDue(state, 3, clock.GetUtcNow()));
    }

    [Fact]
    public void AnotherVersionOrNoPendingExpiryIsNeverDue()
    {
        var later = Clock.GetUtcNow().AddDays(8);

        Assert.False(PresenceExpiryRules.IsDue(Away(4, Clock.GetUtcNow()), 3, later));
        Assert.False(PresenceExpiryRules.IsDue(Away(2, Clock.GetUtcNow()), 3, later));
        Assert.False(PresenceExpiryRules.IsDue(Away(3, null), 3, later));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(604_800, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(604_801, false)]
    public void ADurationFromAnInstantToSevenDaysIsAllowed(int seconds, bool allowed)
    {
        Assert.Equal(allowed, PresenceExpiryRules.IsAllowed(TimeSpan.FromSeconds(seconds)));
    }
}
