namespace PresenceFunctions.Auth;

/// <summary>Settings under <c>Auth</c> (for example <c>Auth__Bearer__Authority</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA512.</summary>
    public const int MinimumPasswordIterations = 210_000;

    /// <summary>How long a verified Basic credential is trusted without running PBKDF2 again: a changed password takes effect within it.</summary>
    public int BasicCacheSeconds { get; set; } = 60;

    /// <summary>At most this many verified Basic credentials are remembered.</summary>
    public int BasicCacheSize { get; set; } = 10_000;

    /// <summary>Partner-app tokens allowed to call this API, comma-separated: plain tokens or <c>sha256:&lt;hex&gt;</c> of them.</summary>
    public string? AllowedAppTokens { get; set; }

    /// <summary>Failed Basic logins allowed per user name within <see cref="FailedLoginWindowSeconds"/>; more get 429 without running PBKDF2.</summary>
    public int FailedLoginsPerName { get; set; } = 5;

    /// <summary>Failed Basic logins allowed per client address within the window: larger than per name, since offices share an address.</summary>
    public int FailedLoginsPerAddress { get; set; } = 30;

    public int FailedLoginWindowSeconds { get; set; } = 60;

    /// <summary>Take the client address from the leftmost <c>X-Forwarded-For</c> entry (behind the Functions front end); otherwise the connection's.</summary>
    public bool TrustForwardedFor { get; set; }

    /// <summary>PBKDF2 (HMAC-SHA512) iterations for stored passwords; at least OWASP's 210,000. Older hashes are upgraded on the next login.</summary>
    public int PasswordIterations { get; set; } = MinimumPasswordIterations;

    /// <summary>Logins waiting for a PBKDF2 slot (there are as many slots as cores); beyond this they get 503 with Retry-After.</summary>
    public int PasswordQueueLimit { get; set; } = 64;

    /// <summary>Origins allowed to send form or XML requests, comma-separated (for example <c>https://crm.example.com</c>).</summary>
    public string? AllowedOrigins { get; set; }

    /// <summary>Key for the hash that stands for a user name in failed-login logs; shared by instances so their logs correlate. Random per process when unset.</summary>
    public string? LogHashKey { get; set; }

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
