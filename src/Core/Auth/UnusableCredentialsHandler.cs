using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Auth;

/// <summary>
/// Where the policy scheme sends requests no scheme can take: it says what is wrong with the Authorization
/// header, or answers "no result" when there are no credentials at all.
/// </summary>
public sealed class UnusableCredentialsHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory loggers, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers.Authorization;
        if (values.Count > 1)
        {
            return Task.FromResult(AuthRefusedException.Fail(AuthRefusal.Unauthenticated("Send one Authorization header.")));
        }

        var header = AuthorizationHeader.Read(Request);
        if (header is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(AuthRefusedException.Fail(AuthRefusal.Unauthenticated(header.Parameter.Length == 0
            ? "The Authorization header has no credentials after its scheme."
            : "Unsupported authorization scheme: use Basic, SoTicket or Bearer.")));
    }
}
