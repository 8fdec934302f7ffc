using Microsoft.Net.Http.Headers;

namespace PresenceFunctions.Http;

public enum RequestFormat
{
    Json,
    Xml,
    Form,
    MergePatch,
    JsonPatch,
}

/// <summary>Maps a request's Content-Type to the parser for its body.</summary>
public static class RequestFormats
{
    public static RequestFormat FromContentType(string? contentType)
    {
        // Exactly a media type without parameters, as most clients send it: nothing to parse, and no charset to check.
        if (Exactly(contentType) is { } exact)
        {
            return exact;
        }

        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            throw Unsupported();
        }

        if (parsed.Charset.HasValue && !parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(ApiError.UnsupportedMediaType("Request bodies must be encoded as utf-8."));
        }

        var mediaType = parsed.MediaType.Value;
        return mediaType switch
        {
            _ when Is(mediaType, MediaTypes.Json) || Is(mediaType, MediaTypes.TextJson) => RequestFormat.Json,
            _ when Is(mediaType, MediaTypes.Xml) || Is(mediaType, MediaTypes.TextXml) => RequestFormat.Xml,
            _ when Is(mediaType, MediaTypes.Form) => RequestFormat.Form,
            _ when Is(mediaType, MediaTypes.MergePatch) => RequestFormat.MergePatch,
            _ when Is(mediaType, MediaTypes.JsonPatch) => RequestFormat.JsonPatch,
            _ => throw Unsupported(),
        };
    }

    private static RequestFormat? Exactly(string? contentType) => contentType switch
    {
        _ when Is(contentType, MediaTypes.Json) || Is(contentType, MediaTypes.TextJson) => RequestFormat.Json,
        _ when Is(contentType, MediaTypes.Xml) || Is(contentType, MediaTypes.TextXml) => RequestFormat.Xml,
        _ when Is(contentType, MediaTypes.Form) => RequestFormat.Form,
        _ when Is(contentType, MediaTypes.MergePatch) => RequestFormat.MergePatch,
        _ when Is(contentType, MediaTypes.JsonPatch) => RequestFormat.JsonPatch,
        _ => null,
    };

    private static bool Is(string? actual, string expected) => string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);

    private static ApiException Unsupported() => new(ApiError.UnsupportedMediaType(
        "Content-Type must be one of: " + string.Join(", ", MediaTypes.Requests) + "."));
}
