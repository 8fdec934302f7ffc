using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>The agent Set request: a null carrier means "change nothing".</summary>
public sealed record SetPresenceRequest(int AssociateId, UserPresenceStatus? Carrier);
