using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace PresenceFunctions.Http;

/// <summary>
/// application/x-www-form-urlencoded, with dotted or bracketed names for nested properties:
/// <c>UserPresenceStatus.Status=...</c> and jQuery's <c>UserPresenceStatus[Status]=...</c> alike.
/// </summary>
public static class FormRequestReader
{
    /// <summary>The contract has three fields; a body of thousands would only cost memory (fields are read one by one, never all at once).</summary>
    public const int MaxFields = 32;

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
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in new QueryStringEnumerable(text))
        {
            var key = pair.DecodeName().ToString();
            if (key.Length == 0)
            {
                continue;
            }

            if (seen.Count == MaxFields)
            {
                throw ApiException.BadRequest("Body", $"The form body has more than {MaxFields} fields; no request of this API needs as many.");
            }

            if (!seen.Add(key))
            {
                throw ApiException.BadRequest(key, $"The form field {key} is given more than once.");
            }

            if (!FieldPath.TrySplit(key, out var segments))
            {
                throw ApiException.BadRequest("Body", "A form field name is not a property path.");
            }

            FieldPath.Put(document, segments, JsonValue.Create(pair.DecodeValue().ToString()), key);
        }

        return document;
    }
}
