using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Auth;

/// <summary>
/// SoTicket login tickets issued by this service (<c>7T:…</c>): in <c>Authorization: SoTicket</c>, or, without
/// that header, in the <c>SoTicket</c> cookie together with the <c>X-XSRF-TOKEN</c> issued with the ticket.
/// Every unknown, expired or revoked ticket gets the same answer.
/// </summary>
public sealed partial class SoTicketAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    CredentialStore store,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    private const string Refused = "The ticket is unknown, expired or revoked.";
    private const string CookieScheme = "Cookie";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = AuthorizationHeader.Read(Request);
        if (header is not null)
        {
            return header.Is(SuperOfficeSchemes.SoTicket)
                ? AuthenticateAsync(header.Parameter, xsrfToken: null, SuperOfficeSchemes.SoTicket)
                : Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!Request.Cookies.TryGetValue(SuperOfficeSchemes.TicketCookie, out var ticket) || string.IsNullOrEmpty(ticket))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var xsrfToken = Request.Headers[SuperOfficeSchemes.XsrfHeader].ToString();
        if (string.IsNullOrEmpty(xsrfToken))
        {
            LogFailure(Logger, CookieScheme, "no X-XSRF-TOKEN header", Secrets.LogId(ticket));
            return Task.FromResult(AuthRefusedException.Fail(AuthRefusal.Unauthenticated(
                "The SoTicket cookie needs the X-XSRF-TOKEN header issued with the ticket.", SuperOfficeSchemes.XsrfHeader)));
        }

        return AuthenticateAsync(ticket, xsrfToken, CookieScheme);
    }

    /// <param name="xsrfToken">Null for the header, which a browser never sends on its own.</param>
    private async Task<AuthenticateResult> AuthenticateAsync(string ticket, string? xsrfToken, string scheme)
    {
        var logId = Secrets.LogId(ticket);
        if (!ticket.StartsWith(CredentialStore.SoTicketPrefix, StringComparison.Ordinal) || ticket.Length > 256)
        {
            LogFailure(Logger, scheme, "not a ticket", logId);
            return AuthRefusedException.Fail(AuthRefusal.Unauthenticated(Refused));
        }

        var stored = await store.FindSoTicketAsync(ticket, Context.RequestAborted).ConfigureAwait(false);
        if (stored is null || stored.ExpiresAt <= time.GetUtcNow())
        {
            LogFailure(Logger, scheme, stored is null ? "unknown or revoked ticket" : "expired ticket", logId);
            return AuthRefusedException.Fail(AuthRefusal.Unauthenticated(Refused));
        }

        if (xsrfToken is not null && !Secrets.HashesEqual(Secrets.Hash(xsrfToken), stored.XsrfHash))
        {
            LogFailure(Logger, scheme, "X-XSRF-TOKEN does not match", logId);
            return AuthRefusedException.Fail(AuthRefusal.Unauthenticated("The X-XSRF-TOKEN header does not match the SoTicket cookie.", SuperOfficeSchemes.XsrfHeader));
        }

        var caller = new Caller(stored.AssociateId, stored.IsAdministrator, scheme, "ticket " + logId);
        return AuthenticateResult.Success(new AuthenticationTicket(CallerPrincipal.Create(caller), Scheme.Name));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed ({Scheme}): {Reason} for ticket {TicketId}")]
    private static partial void LogFailure(ILogger logger, string scheme, string reason, string ticketId);
}
