using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PresenceFunctions.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;JWT&gt;</c>, validated by Microsoft.IdentityModel: signature, issuer, audience
/// and lifetime, against an OIDC authority's published keys or a configured HS256 key.
/// </summary>
public sealed partial class BearerAuthenticator
{
    public const string HttpClientName = "oidc";
    public const string AssociateIdClaim = "http://schemes.superoffice.net/identity/associateid";
    public const string ShortAssociateIdClaim = "associateid";

    private readonly JsonWebTokenHandler handler = new();
    private readonly Lazy<TokenValidationParameters?> parameters;
    private readonly ILogger<BearerAuthenticator> logger;

    public BearerAuthenticator(IOptions<AuthOptions> options, IHttpClientFactory httpClients, ILogger<BearerAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bearer = options.Value.Bearer;
        this.logger = logger;
        parameters = new Lazy<TokenValidationParameters?>(() => bearer.IsConfigured ? CreateParameters(bearer, httpClients) : null);
    }

    public async ValueTask<Caller> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var validation = parameters.Value
            ?? throw AuthFailure.Unauthorized("Bearer tokens are not accepted by this installation.");

        var result = await handler.ValidateTokenAsync(token.Trim(), validation).ConfigureAwait(false);
        if (!result.IsValid)
        {
            LogFailure(logger, result.Exception?.GetType().Name ?? "invalid token");
            throw AuthFailure.Unauthorized("The bearer token is invalid or expired.", bearerError: "invalid_token");
        }

        var identity = result.ClaimsIdentity;
        var associate = identity.FindFirst(AssociateIdClaim) ?? identity.FindFirst(ShortAssociateIdClaim);
        if (associate is null || !int.TryParse(associate.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var associateId) || associateId <= 0)
        {
            LogFailure(logger, "no associate id claim");
            throw AuthFailure.Unauthorized("The bearer token carries no associate id claim.", bearerError: "invalid_token");
        }

        var administrator = identity.Claims.Any(c =>
            (c.Type is "role" or "roles" || c.Type == identity.RoleClaimType)
            && string.Equals(c.Value, PresenceAccess.AdministratorRole, StringComparison.OrdinalIgnoreCase));
        var name = identity.FindFirst("sub")?.Value ?? associate.Value;
        return new Caller(associateId, administrator, "Bearer", name);
    }

    private static TokenValidationParameters CreateParameters(BearerOptions bearer, IHttpClientFactory httpClients)
    {
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidIssuer = bearer.Issuer,
            ValidAudience = bearer.Audience ?? throw new InvalidOperationException("Auth:Bearer:Audience is required with Bearer authentication."),
            ClockSkew = TimeSpan.FromSeconds(bearer.ClockSkewSeconds),
        };

        if (!string.IsNullOrWhiteSpace(bearer.Authority))
        {
            var metadata = bearer.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadata,
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = bearer.RequireHttpsMetadata });
        }
        else
        {
            if (string.IsNullOrWhiteSpace(bearer.Issuer))
            {
                throw new InvalidOperationException("Auth:Bearer:Issuer is required with Auth:Bearer:SigningKey.");
            }

            parameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(bearer.SigningKey!));
            parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        return parameters;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed (Bearer): {Reason}")]
    private static partial void LogFailure(ILogger logger, string reason);
}
