namespace PresenceFunctions.Presence;

/// <summary>One committed change of an associate's presence, as its history row keeps it.</summary>
public sealed record PresenceHistoryEntry(
    UserStatus Status,
    string? Message,
    long Version,
    DateTimeOffset ChangedAt,
    int ChangedBy,
    UserStatus? PreviousStatus);
