namespace PresenceFunctions.Http;

/// <summary>SuperOffice's error body plus the HTTP status and headers that go with it.</summary>
public sealed record ApiError(int StatusCode, string ErrorType, string ErrorMessage, string ErrorSource)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public static ApiError BadRequest(string field, string message) => new(400, "BadRequest", message, field);

    public static ApiError NotFound(string message) => new(404, "NotFound", message, "Route");

    public static ApiError PayloadTooLarge(int limit) =>
        new(413, "PayloadTooLarge", $"The request body is larger than {limit} bytes.", "Body");

    public static ApiError UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message, "Content-Type");

    public static ApiError ServiceUnavailable(string message, int retryAfterSeconds) =>
        new(503, "ServiceUnavailable", message, "Storage")
        {
            Headers = [new("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };

    /// <summary>429: the caller has used its allowance; <c>Retry-After</c> says when it is back.</summary>
    public static ApiError TooManyRequests(string message, string source, int retryAfterSeconds) =>
        new(429, "TooManyRequests", message, source)
        {
            Headers = [new("Retry-After", Math.Max(1, retryAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };

    public static ApiError Internal() =>
        new(500, "InternalError", "The server failed to process the request. It has been logged.", "Server");
}
