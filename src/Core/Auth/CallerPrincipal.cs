using System.Globalization;
using System.Security.Claims;

using PresenceFunctions.Presence;

namespace PresenceFunctions.Auth;

/// <summary>
/// The <see cref="Caller"/> as the ClaimsPrincipal every scheme's handler answers with, and back: one shape of
/// claims whatever the scheme, so the pipeline reads a caller the same way from Basic, SoTicket and Bearer.
/// </summary>
public static class CallerPrincipal
{
    private const string AssociateIdClaim = "presence:associateid";

    public static ClaimsPrincipal Create(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var identity = new ClaimsIdentity(caller.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(AssociateIdClaim, caller.AssociateId.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(ClaimTypes.Name, caller.Name));
        if (caller.IsAdministrator)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, PresenceAccess.AdministratorRole));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>The caller a handler of this app authenticated; a principal of another shape is a wiring bug.</summary>
    public static Caller ToCaller(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var identity = principal.Identity as ClaimsIdentity;
        var associate = identity?.FindFirst(AssociateIdClaim)?.Value;
        if (identity?.AuthenticationType is not { } scheme || !int.TryParse(associate, NumberStyles.None, CultureInfo.InvariantCulture, out var associateId))
        {
            throw new InvalidOperationException("The authenticated principal was not made by CallerPrincipal.Create.");
        }

        // HasClaim matches the type in any case and the value ordinally, as FindAll and an ordinal compare would, without an iterator per request.
        var administrator = identity.HasClaim(ClaimTypes.Role, PresenceAccess.AdministratorRole);
        return new Caller(associateId, administrator, scheme, identity.FindFirst(ClaimTypes.Name)?.Value ?? "");
    }
}
