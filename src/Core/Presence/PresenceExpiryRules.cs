namespace PresenceFunctions.Presence;

/// <summary>How long a presence may be set to last, and when a pending expiry is due.</summary>
public static class PresenceExpiryRules
{
    /// <summary>Longer than a working week away is not "away for a while": such a presence is set without expiry.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    public static bool IsAllowed(TimeSpan expiresIn) => expiresIn > TimeSpan.Zero && expiresIn <= MaxDuration;

    /// <summary>True when <paramref name="state"/> is the version an expiry was set for and its time has come: the revert's guard.</summary>
    public static bool IsDue(PresenceState state, long version, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Version == version && state.ExpiresAt is { } due && due <= now;
    }
}
