using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace PresenceFunctions.Auth;

/// <summary>
/// How <c>AddJwtBearer</c> validates <c>Authorization: Bearer &lt;JWT&gt;</c>: signature, issuer, audience, lifetime
/// and type, against an OIDC authority's published keys (fetched and refreshed by JwtBearer) or an HS256
/// development key, from <see cref="BearerOptions"/>.
/// </summary>
public static class BearerTokens
{
    /// <summary>The named HttpClient that fetches the authority's discovery document and keys.</summary>
    public const string MetadataClientName = "oidc";

    public const string AssociateIdClaim = "http://schemes.superoffice.net/identity/associateid";
    public const string ShortAssociateIdClaim = "associateid";

    /// <summary>Discovery documents and key sets are small; anything larger is refused rather than buffered.</summary>
    public const int MaxMetadataBytes = 1024 * 1024;

    public static void Configure(JwtBearerOptions options, BearerOptions bearer, HttpClient metadataClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bearer);
        options.EventsType = typeof(BearerEvents);

        // Claim names stay as the token has them; BearerEvents reads them by those names.
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidIssuer = string.IsNullOrWhiteSpace(bearer.Issuer) ? null : bearer.Issuer,
            ValidAudience = bearer.Audience,
            ClockSkew = TimeSpan.FromSeconds(bearer.ClockSkewSeconds),
            TypeValidator = ValidateType,
        };

        if (!string.IsNullOrWhiteSpace(bearer.Authority))
        {
            options.Authority = bearer.Authority;
            options.RequireHttpsMetadata = bearer.RequireHttpsMetadata;
            options.Backchannel = metadataClient;
        }
        else if (!string.IsNullOrWhiteSpace(bearer.SigningKey))
        {
            options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(bearer.SigningKey));
            options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
    }

    /// <summary>
    /// Only access tokens: <c>typ</c> JWT (RFC 7519) or at+jwt (RFC 9068), compared case-insensitively, with or
    /// without <c>application/</c> (RFC 7515 §4.1.9). Any other type (an ID token's or logout token's, say) is
    /// refused, and so is a token without <c>typ</c>: explicit typing (RFC 8725 §3.11) is what tells them apart.
    /// A validator rather than <c>ValidTypes</c>, which compares ordinally and so would refuse <c>jwt</c>.
    /// </summary>
    public static string ValidateType(string? type, SecurityToken token, TokenValidationParameters parameters)
    {
        var bare = type is not null && type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? type["application/".Length..] : type;
        return bare is not null && (bare.Equals("JWT", StringComparison.OrdinalIgnoreCase) || bare.Equals("at+jwt", StringComparison.OrdinalIgnoreCase))
            ? type!
            : throw new SecurityTokenInvalidTypeException("The token's typ must be JWT or at+jwt.") { InvalidType = type };
    }
}
