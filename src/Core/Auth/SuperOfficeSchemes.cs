using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace PresenceFunctions.Auth;

/// <summary>
/// The authentication schemes, and how the policy scheme picks one: by the Authorization header's scheme,
/// or, without the header, the SoTicket cookie. Anything else goes to <see cref="Unusable"/>, which says why.
/// </summary>
public static class SuperOfficeSchemes
{
    /// <summary>The default scheme: a policy scheme that only forwards.</summary>
    public const string Policy = "SuperOffice";

    public const string Basic = "Basic";
    public const string SoTicket = "SoTicket";
    public const string Bearer = "Bearer";

    /// <summary>Several Authorization headers, a scheme without credentials, or an unknown scheme.</summary>
    public const string Unusable = "SuperOffice.Unusable";

    public const string TicketCookie = "SoTicket";
    public const string XsrfHeader = "X-XSRF-TOKEN";

    public static string Select(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!AuthorizationHeader.TryRead(context.Request, out var scheme, out var parameter))
        {
            return StringValues.IsNullOrEmpty(context.Request.Headers.Authorization) && context.Request.Cookies.ContainsKey(TicketCookie) ? SoTicket : Unusable;
        }

        if (parameter.IsEmpty)
        {
            return Unusable;
        }

        // Scheme names compare case-insensitively (RFC 9110 §11.1), as AuthorizationHeader.Is compares them.
        return scheme.Equals(Basic, StringComparison.OrdinalIgnoreCase) ? Basic
            : scheme.Equals(SoTicket, StringComparison.OrdinalIgnoreCase) ? SoTicket
            : scheme.Equals(Bearer, StringComparison.OrdinalIgnoreCase) ? Bearer
            : Unusable;
    }
}
