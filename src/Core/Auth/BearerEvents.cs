using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using PresenceFunctions.Presence;

namespace PresenceFunctions.Auth;

/// <summary>
/// JwtBearer's hooks: refuse tokens when Bearer is not configured, turn a validated token into the app's
/// <see cref="Caller"/> (exactly one associate id; the role compared ordinally), and replace JwtBearer's
/// failures with a refusal whose message carries no IdentityModel detail.
/// </summary>
public sealed partial class BearerEvents(IOptions<AuthOptions> options, ILogger<BearerEvents> logger) : JwtBearerEvents
{
    private const string InvalidToken = "invalid_token";

    public override Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!options.Value.Bearer.IsConfigured)
        {
            LogFailure(logger, "Bearer is not configured");
            context.Fail(new AuthRefusedException(AuthRefusal.Unauthenticated("Bearer tokens are not accepted by this installation.")));
        }

        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            context.Fail(Refused("The bearer token is invalid or expired."));
            return Task.CompletedTask;
        }

        // Exactly one: with several, which associate the caller is would be a guess.
        var associates = identity.FindAll(BearerTokens.AssociateIdClaim).Concat(identity.FindAll(BearerTokens.ShortAssociateIdClaim)).Take(2).ToList();
        if (associates.Count > 1)
        {
            LogFailure(logger, "several associate id claims");
            context.Fail(Refused("The bearer token carries more than one associate id."));
            return Task.CompletedTask;
        }

        var associate = associates.FirstOrDefault();
        if (associate is null || !int.TryParse(associate.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var associateId) || associateId <= 0)
        {
            LogFailure(logger, "no associate id claim");
            context.Fail(Refused("The bearer token carries no associate id claim."));
            return Task.CompletedTask;
        }

        // Role names are identifiers: "administrator" is not the Administrator role.
        var administrator = identity.Claims.Any(c =>
            (c.Type is "role" or "roles" || c.Type == identity.RoleClaimType)
            && string.Equals(c.Value, PresenceAccess.AdministratorRole, StringComparison.Ordinal));
        var name = identity.FindFirst("sub")?.Value ?? associate.Value;
        context.Principal = CallerPrincipal.Create(new Caller(associateId, administrator, SuperOfficeSchemes.Bearer, name));
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        LogFailure(logger, context.Exception.GetType().Name);
        context.Fail(Refused("The bearer token is invalid or expired."));
        return Task.CompletedTask;
    }

    private static AuthRefusedException Refused(string message) =>
        new(AuthRefusal.Unauthenticated(message, bearerError: InvalidToken));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed (Bearer): {Reason}")]
    private static partial void LogFailure(ILogger logger, string reason);
}
