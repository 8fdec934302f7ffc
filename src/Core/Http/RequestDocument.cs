using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Http;

/// <summary>
/// Turns a request body of any supported Content-Type into one JSON object with case-insensitive
/// property names, so a single binder reads every format the same way.
/// </summary>
public static class RequestDocument
{
    public const int MaxDepth = 32;

    public static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static async Task<JsonObject> ReadAsync(HttpRequest request, RequestShape shape, CancellationToken cancellationToken)
    {
        var format = RequestFormats.FromContentType(request.ContentType);
        var body = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return Parse(body, format, shape);
    }

    public static JsonObject Parse(ReadOnlySpan<byte> body, RequestFormat format, RequestShape shape)
    {
        body = WithoutUtf8Bom(body);
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw ApiException.BadRequest("Body", "A request body is required.");
        }

        return format switch
        {
            RequestFormat.Json => AsObject(ParseJson(body)),
            RequestFormat.Xml => XmlRequestReader.Read(body, shape.XmlRoot),
            RequestFormat.Form => FormRequestReader.Read(body),
            RequestFormat.MergePatch => AsObject(JsonMergePatch.Apply(new JsonObject(NodeOptions), ParseJson(body))),
            RequestFormat.JsonPatch => JsonPatchReader.ApplyToEmpty(body),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    public static JsonNode? ParseJson(ReadOnlySpan<byte> body)
    {
        try
        {
            var node = JsonNode.Parse(body, NodeOptions, DocumentOptions);
            Materialize(node);
            return node;
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest(
                "Body",
                $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        catch (ArgumentException)
        {
            // JsonObject refuses a property name it already holds; names compare case-insensitively here.
            throw ApiException.BadRequest("Body", "The body names the same property more than once.");
        }
        catch (InvalidOperationException)
        {
            // Valid JSON syntax can still escape a lone UTF-16 surrogate, which is no string at all.
            throw ApiException.BadRequest("Body", "The body holds a string with an invalid \\u escape.");
        }
    }

    private static JsonObject AsObject(JsonNode? node) => node as JsonObject
        ?? throw ApiException.BadRequest("Body", "The body must be an object.");

    /// <summary>
    /// JsonNode builds objects and decodes strings lazily; walking everything now makes duplicate
    /// names and undecodable strings fail here, as a 400, rather than later.
    /// </summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
            case JsonObject obj:
                foreach (var property in obj)
                {
                    Materialize(property.Value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Materialize(item);
                }

                break;
        }
    }

    private static ReadOnlySpan<byte> WithoutUtf8Bom(ReadOnlySpan<byte> body) =>
        body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body[3..] : body;
}
