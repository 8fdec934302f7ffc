using PresenceFunctions.Auth;

namespace PresenceFunctions.Http;

/// <summary>The contract's answer to an <see cref="AuthRefusal"/>: status, error body, and on 401 every scheme's challenge.</summary>
public static class AuthErrors
{
    public const string Realm = "SuperOffice Username or Ticket";

    public static ApiError From(AuthRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Kind switch
        {
            AuthRefusalKind.Unauthenticated => Unauthorized(refusal),
            AuthRefusalKind.Forbidden => new ApiError(403, "Forbidden", refusal.Message, refusal.Source),

            // No challenge on 429, so a browser does not prompt again.
            AuthRefusalKind.Throttled => ApiError.TooManyRequests(refusal.Message, refusal.Source, refusal.RetryAfterSeconds),
            AuthRefusalKind.Busy => ApiError.ServiceUnavailable(refusal.Message, refusal.RetryAfterSeconds) with { ErrorSource = refusal.Source },
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "Unknown refusal kind."),
        };
    }

    private static ApiError Unauthorized(AuthRefusal refusal) =>
        new(401, "Unauthorized", refusal.Message, refusal.Source)
        {
            Headers =
            [
                new("WWW-Authenticate", $"Basic realm=\"{Realm}\""),
                new("WWW-Authenticate", $"SoTicket realm=\"{Realm}\""),
                new("WWW-Authenticate", refusal.BearerError is null ? "Bearer" : $"Bearer error=\"{refusal.BearerError}\""),
            ],
        };
}
