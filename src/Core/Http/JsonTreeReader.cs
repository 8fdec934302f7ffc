using System.Text.Json;
using System.Text.Json.Nodes;

namespace PresenceFunctions.Http;

/// <summary>
/// Builds a JSON body's node tree in one pass of <see cref="Utf8JsonReader"/>: no intermediate JsonDocument, and
/// each string decoded once, as it is read. The tree is what <c>JsonNode.Parse</c> gives, already materialized:
/// objects compare names as the options say and refuse a name they already hold
/// (<see cref="ArgumentException"/>), an undecodable string throws <see cref="InvalidOperationException"/>, and a
/// number keeps its original text (a JsonElement of its own), which the binders compare by.
/// </summary>
internal static class JsonTreeReader
{
    /// <summary>The caller has already checked the body's syntax, depth and size; this only builds.</summary>
    public static JsonNode? Read(ReadOnlySpan<byte> body, JsonNodeOptions options, int maxDepth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        reader.Read();
        return ReadValue(ref reader, options);
    }

    /// <summary>The value the reader is on; leaves the reader on its last token.</summary>
    private static JsonNode? ReadValue(ref Utf8JsonReader reader, JsonNodeOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject(options);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    obj.Add(name, ReadValue(ref reader, options));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray(options);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader, options));
                }

                return array;
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString()!, options);
            case JsonTokenType.Number:
                // A JsonElement keeps the number as written: 259, 259.0 and 2.59e2 stay three texts.
                return JsonValue.Create(JsonElement.ParseValue(ref reader), options);
            case JsonTokenType.True:
                return JsonValue.Create(true, options);
            case JsonTokenType.False:
                return JsonValue.Create(false, options);
            default:
                return null;
        }
    }
}
