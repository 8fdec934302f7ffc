namespace PresenceFunctions.Auth;

/// <summary>Settings under <c>Auth</c> (for example <c>Auth__Bearer__Authority</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>How long a verified Basic credential is trusted without running PBKDF2 again: a changed password takes effect within it.</summary>
    public int BasicCacheSeconds { get; set; } = 60;

    /// <summary>At most this many verified Basic credentials are remembered.</summary>
    public int BasicCacheSize { get; set; } = 10_000;

    /// <summary>Partner-app tokens allowed to call this API, comma-separated: plain tokens or <c>sha256:&lt;hex&gt;</c> of them.</summary>
    public string? AllowedAppTokens { get; set; }

    public BearerOptions Bearer { get; set; } = new();

    /// <summary>The longest lifetime a ticket may be issued with (<c>Auth__MaxTicketLifetime</c>, as <c>d.hh:mm:ss</c>); longer is refused.</summary>
    public TimeSpan MaxTicketLifetime { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>JWT validation: an OIDC authority, or an issuer with a symmetric development key.</summary>
public sealed class BearerOptions
{
    /// <summary>OpenID Connect authority; its discovery document supplies issuer and signing keys.</summary>
    public string? Authority { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>A base64 HS256 key, for development and tests.</summary>
    public string? SigningKey { get; set; }

    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>Whether the discovery document must come over HTTPS (always, outside tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
