namespace PresenceFunctions.Presence;

/// <summary>The data of a <c>SuperOffice.UserPresenceStatus.Changed</c> event (see docs/events.md).</summary>
public sealed record PresenceChangedData(
    int AssociateId,
    string Status,
    string PreviousStatus,
    string? Message,
    long Version,
    DateTimeOffset ChangedAt,
    int ChangedBy);
