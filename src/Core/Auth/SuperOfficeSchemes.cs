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
        var header = AuthorizationHeader.Read(context.Request);
        if (header is null)
        {
            return StringValues.IsNullOrEmpty(context.Request.Headers.Authorization) && context.Request.Cookies.ContainsKey(TicketCookie) ? SoTicket : Unusable;
        }

        if (header.Parameter.Length == 0)
        {
            return Unusable;
        }

        return header.Is(Basic) ? Basic
            : header.Is(SoTicket) ? SoTicket
            : header.Is(Bearer) ? Bearer
            : Unusable;
    }
}
