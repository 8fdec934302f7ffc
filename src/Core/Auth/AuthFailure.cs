using PresenceFunctions.Http;

namespace PresenceFunctions.Auth;

/// <summary>401 and 403 answers: the error body, and on 401 every scheme's challenge.</summary>
public static class AuthFailure
{
    public const string Realm = "SuperOffice Username or Ticket";

    public static ApiException Unauthorized(string message, string source = "Authorization", string? bearerError = null) =>
        new(new ApiError(401, "Unauthorized", message, source)
        {
            Headers =
            [
                new("WWW-Authenticate", $"Basic realm=\"{Realm}\""),
                new("WWW-Authenticate", $"SoTicket realm=\"{Realm}\""),
                new("WWW-Authenticate", bearerError is null ? "Bearer" : $"Bearer error=\"{bearerError}\""),
            ],
        });

    public static ApiException Forbidden(string message, string source) =>
        new(new ApiError(403, "Forbidden", message, source));

    /// <summary>429 for a user name or address that has used its failed logins; no challenge, so a browser does not prompt again.</summary>
    public static ApiException TooManyAttempts(int retryAfterSeconds) =>
        new(ApiError.TooManyRequests("Too many failed logins; try again later.", "Authorization", retryAfterSeconds));

    /// <summary>503: every PBKDF2 slot is taken and the queue is full.</summary>
    public static ApiException Busy(string message, int retryAfterSeconds) =>
        new(ApiError.ServiceUnavailable(message, retryAfterSeconds) with { ErrorSource = "Authorization" });
}
