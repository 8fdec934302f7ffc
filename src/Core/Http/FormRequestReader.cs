using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace PresenceFunctions.Http;

/// <summary>application/x-www-form-urlencoded, with dotted names for nested properties: <c>UserPresenceStatus.Status=...</c>.</summary>
public static class FormRequestReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static JsonObject Read(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw ApiException.BadRequest("Body", "The form body is not valid UTF-8.");
        }

        var document = new JsonObject(RequestDocument.NodeOptions);
        foreach (var (key, values) in QueryHelpers.ParseQuery(text))
        {
            if (values.Count > 1)
            {
                throw ApiException.BadRequest(key, $"The form field {key} is given more than once.");
            }

            var segments = key.Split('.', StringSplitOptions.TrimEntries);
            if (segments.Length > RequestDocument.MaxDepth || segments.Any(string.IsNullOrEmpty))
            {
                throw ApiException.BadRequest("Body", "A form field name is not a property path.");
            }

            Put(document, segments, values.ToString(), key);
        }

        return document;
    }

    private static void Put(JsonObject document, string[] segments, string value, string key)
    {
        var current = document;
        foreach (var segment in segments[..^1])
        {
            var next = current[segment];
            if (next is null && !current.ContainsKey(segment))
            {
                next = new JsonObject(RequestDocument.NodeOptions);
                current[segment] = next;
            }

            current = next as JsonObject ?? throw Conflict(key);
        }

        if (current.ContainsKey(segments[^1]))
        {
            throw Conflict(key);
        }

        current[segments[^1]] = JsonValue.Create(value);
    }

    private static ApiException Conflict(string key) =>
        ApiException.BadRequest(key, $"The form field {key} conflicts with another field of the same path.");
}
