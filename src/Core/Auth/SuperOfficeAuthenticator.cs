using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace PresenceFunctions.Auth;

/// <summary>
/// Authenticates a request the ways SuperOffice callers do: the Authorization header's scheme picks Basic,
/// SoTicket or Bearer; without the header, the SoTicket cookie with its X-XSRF-TOKEN. Then the partner-app rule.
/// </summary>
public sealed class SuperOfficeAuthenticator(
    BasicAuthenticator basic,
    TicketAuthenticator tickets,
    BearerAuthenticator bearer,
    AppTokenPolicy appTokens,
    IOptions<AuthOptions> options) : IRequestAuthenticator
{
    public const string TicketCookie = "SoTicket";
    public const string XsrfHeader = "X-XSRF-TOKEN";

    public async ValueTask<Caller> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = await AuthenticateCallerAsync(request, cancellationToken).ConfigureAwait(false);
        appTokens.EnsureAllowed(request.Headers[AppTokenPolicy.Header]);
        return caller;
    }

    private ValueTask<Caller> AuthenticateCallerAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count > 1)
        {
            throw AuthFailure.Unauthorized("Send one Authorization header.");
        }

        if (!StringValues.IsNullOrEmpty(authorization))
        {
            var value = authorization.ToString().Trim();
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            var scheme = space < 0 ? value : value[..space];
            var parameter = space < 0 ? "" : value[(space + 1)..].Trim();
            if (parameter.Length == 0)
            {
                throw AuthFailure.Unauthorized("The Authorization header has no credentials after its scheme.");
            }

            return scheme.ToUpperInvariant() switch
            {
                "BASIC" => basic.AuthenticateAsync(parameter, ClientAddress.Of(request.HttpContext, options.Value.TrustForwardedFor), cancellationToken),
                "SOTICKET" => tickets.AuthenticateHeaderAsync(parameter, cancellationToken),
                "BEARER" => bearer.AuthenticateAsync(parameter, cancellationToken),
                _ => throw AuthFailure.Unauthorized("Unsupported authorization scheme: use Basic, SoTicket or Bearer."),
            };
        }

        if (request.Cookies.TryGetValue(TicketCookie, out var ticket) && !string.IsNullOrEmpty(ticket))
        {
            return tickets.AuthenticateCookieAsync(ticket, request.Headers[XsrfHeader].ToString(), cancellationToken);
        }

        throw AuthFailure.Unauthorized("Authentication required: Basic, SoTicket or Bearer, or the SoTicket cookie with X-XSRF-TOKEN.");
    }
}
