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

        // Exactly one: with several, which associate the caller is would be a guess.
        var associates = identity.FindAll(AssociateIdClaim).Concat(identity.FindAll(ShortAssociateIdClaim)).Take(2).ToList();
        if (associates.Count > 1)
        {
            LogFailure(logger, "several associate id claims");
            throw AuthFailure.Unauthorized("The bearer token carries more than one associate id.", bearerError: "invalid_token");
        }

        var associate = associates.FirstOrDefault();
        if (associate is null || !int.TryParse(associate.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var associateId) || associateId <= 0)
        {
            LogFailure(logger, "no associate id claim");
            throw AuthFailure.Unauthorized("The bearer token carries no associate id claim.", bearerError: "invalid_token");
        }

        // Role names are identifiers: "administrator" is not the Administrator role.
        var administrator = identity.Claims.Any(c =>
            (c.Type is "role" or "roles" || c.Type == identity.RoleClaimType)
            && string.Equals(c.Value, PresenceAccess.AdministratorRole, StringComparison.Ordinal));
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
            TypeValidator = ValidateType,
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

    /// <summary>
    /// Only access tokens: <c>typ</c> JWT (RFC 7519) or at+jwt (RFC 9068), compared case-insensitively, with or
    /// without <c>application/</c> (RFC 7515 §4.1.9). Any other type (an ID token's or logout token's, say) is
    /// refused, and so is a token without <c>typ</c>: explicit typing (RFC 8725 §3.11) is what tells them apart.
    /// </summary>
    private static string ValidateType(string? type, SecurityToken token, TokenValidationParameters parameters)
    {
        var bare = type is not null && type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? type["application/".Length..] : type;
        return bare is not null && (bare.Equals("JWT", StringComparison.OrdinalIgnoreCase) || bare.Equals("at+jwt", StringComparison.OrdinalIgnoreCase))
            ? type!
            : throw new SecurityTokenInvalidTypeException("The token's typ must be JWT or at+jwt.") { InvalidType = type };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed (Bearer): {Reason}")]
    private static partial void LogFailure(ILogger logger, string reason);
}
