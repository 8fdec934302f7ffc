using Microsoft.Extensions.Logging;

namespace PresenceFunctions.Auth;

/// <summary>
/// Tickets issued by this service (<c>7T:…</c>): in <c>Authorization: SoTicket</c>, or in the <c>SoTicket</c>
/// cookie together with the XSRF token issued with it. Every failure gives the same answer.
/// </summary>
public sealed partial class TicketAuthenticator(CredentialStore store, TimeProvider time, ILogger<TicketAuthenticator> logger)
{
    private const string Refused = "The ticket is unknown, expired or revoked.";

    public ValueTask<Caller> AuthenticateHeaderAsync(string ticket, CancellationToken cancellationToken) =>
        AuthenticateAsync(ticket.Trim(), xsrfToken: null, cookie: false, cancellationToken);

    public ValueTask<Caller> AuthenticateCookieAsync(string ticket, string? xsrfToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(xsrfToken))
        {
            LogFailure(logger, "Cookie", "no X-XSRF-TOKEN header", Secrets.LogId(ticket));
            throw AuthFailure.Unauthorized("The SoTicket cookie needs the X-XSRF-TOKEN header issued with the ticket.", "X-XSRF-TOKEN");
        }

        return AuthenticateAsync(ticket, xsrfToken, cookie: true, cancellationToken);
    }

    private async ValueTask<Caller> AuthenticateAsync(string ticket, string? xsrfToken, bool cookie, CancellationToken cancellationToken)
    {
        var scheme = cookie ? "Cookie" : "SoTicket";
        var logId = Secrets.LogId(ticket);
        if (!ticket.StartsWith(CredentialStore.TicketPrefix, StringComparison.Ordinal) || ticket.Length > 256)
        {
            LogFailure(logger, scheme, "not a ticket", logId);
            throw AuthFailure.Unauthorized(Refused);
        }

        var stored = await store.FindTicketAsync(ticket, cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.ExpiresAt <= time.GetUtcNow())
        {
            LogFailure(logger, scheme, stored is null ? "unknown or revoked ticket" : "expired ticket", logId);
            throw AuthFailure.Unauthorized(Refused);
        }

        if (xsrfToken is not null && !Secrets.HashesEqual(Secrets.Hash(xsrfToken), stored.XsrfHash))
        {
            LogFailure(logger, scheme, "X-XSRF-TOKEN does not match", logId);
            throw AuthFailure.Unauthorized("The X-XSRF-TOKEN header does not match the SoTicket cookie.", "X-XSRF-TOKEN");
        }

        return new Caller(stored.AssociateId, stored.IsAdministrator, scheme, "ticket " + logId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed ({Scheme}): {Reason} for ticket {TicketId}")]
    private static partial void LogFailure(ILogger logger, string scheme, string reason, string ticketId);
}
