namespace PresenceFunctions.Presence;

/// <summary>An associate's stored presence. Version 0 means it was never set.</summary>
public sealed record PresenceState(
    int AssociateId,
    UserStatus Status,
    string? Message,
    long Version,
    DateTimeOffset? ChangedAt,
    int? ChangedBy)
{
    public static PresenceState NeverSet(int associateId) =>
        new(associateId, UserStatus.StatusNormal, null, 0, null, null);

    /// <summary>When this presence reverts to StatusNormal by itself; null when no expiry is pending.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public UserPresenceStatus Carrier => new(Status, Message);

    public bool Matches(UserPresenceStatus requested) =>
        Status == requested.Status && string.Equals(Message, requested.Message, StringComparison.Ordinal);
}
