namespace PresenceFunctions.Http;

/// <summary>Ends a request with an <see cref="ApiError"/>. Its message never carries internal detail.</summary>
public sealed class ApiException(ApiError error) : Exception(error.ErrorMessage)
{
    public ApiError Error { get; } = error;

    public static ApiException BadRequest(string field, string message) => new(ApiError.BadRequest(field, message));
}
