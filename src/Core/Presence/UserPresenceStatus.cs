namespace PresenceFunctions.Presence;

/// <summary>SuperOffice's UserPresenceStatus carrier.</summary>
/// <param name="Status">StatusNormal (present) or StatusNotAvailable (not present).</param>
/// <param name="Message">Comment to add for the user when the status is not present.</param>
public sealed record UserPresenceStatus(UserStatus Status, string? Message);
