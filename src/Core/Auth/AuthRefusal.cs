namespace PresenceFunctions.Auth;

/// <summary>What kind of answer a refusal is; the HTTP contract picks the status from it.</summary>
public enum AuthRefusalKind
{
    /// <summary>No usable credentials: 401 with every scheme's challenge.</summary>
    Unauthenticated,

    /// <summary>Authenticated (or not asked to be) but not allowed: 403.</summary>
    Forbidden,

    /// <summary>The name or address has used its failed logins: 429.</summary>
    Throttled,

    /// <summary>Every PBKDF2 slot is taken and the queue is full: 503.</summary>
    Busy,
}

/// <summary>
/// Why authentication or an access rule refused a request, in Auth's own terms. Http turns it into the
/// contract's status, error body and headers; Auth never builds HTTP answers itself.
/// </summary>
/// <param name="Message">Shown to the caller: never a secret, never internal detail.</param>
/// <param name="Source">The error body's <c>ErrorSource</c>: the header or field at fault.</param>
public sealed record AuthRefusal(AuthRefusalKind Kind, string Message, string Source)
{
    /// <summary>For <see cref="AuthRefusalKind.Throttled"/> and <see cref="AuthRefusalKind.Busy"/>: when to try again.</summary>
    public int RetryAfterSeconds { get; init; }

    /// <summary>RFC 6750's <c>error</c> for the Bearer challenge (<c>invalid_token</c>), when a bearer token was refused.</summary>
    public string? BearerError { get; init; }

    public const string AuthorizationSource = "Authorization";

    public static AuthRefusal NoCredentials { get; } =
        Unauthenticated("Authentication required: Basic, SoTicket or Bearer, or the SoTicket cookie with X-XSRF-TOKEN.");

    public static AuthRefusal Unauthenticated(string message, string source = AuthorizationSource, string? bearerError = null) =>
        new(AuthRefusalKind.Unauthenticated, message, source) { BearerError = bearerError };

    public static AuthRefusal Forbidden(string message, string source) => new(AuthRefusalKind.Forbidden, message, source);

    public static AuthRefusal Throttled(TimeSpan retryAfter) =>
        new(AuthRefusalKind.Throttled, "Too many failed logins; try again later.", AuthorizationSource) { RetryAfterSeconds = (int)Math.Ceiling(retryAfter.TotalSeconds) };

    public static AuthRefusal Busy(string message, int retryAfterSeconds) =>
        new(AuthRefusalKind.Busy, message, AuthorizationSource) { RetryAfterSeconds = retryAfterSeconds };
}
