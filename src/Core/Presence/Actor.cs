namespace PresenceFunctions.Presence;

/// <summary>The associate making a change, as the domain sees them: who, and whether they hold the Administrator role.</summary>
public sealed record Actor(int AssociateId, bool IsAdministrator);
