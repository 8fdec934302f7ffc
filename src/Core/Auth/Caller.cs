namespace PresenceFunctions.Auth;

/// <summary>Who made a request, once authenticated.</summary>
/// <param name="AssociateId">The SuperOffice associate the credentials belong to.</param>
/// <param name="IsAdministrator">Holds the Administrator role: may set anyone's presence.</param>
/// <param name="Scheme">How the caller proved it: Basic, SoTicket, Bearer or Cookie.</param>
/// <param name="Name">A name for logs (user name or subject), never a secret.</param>
public sealed record Caller(int AssociateId, bool IsAdministrator, string Scheme, string Name);
