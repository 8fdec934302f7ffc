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

    /// <summary>Names, values and brackets a JSON body may hold; the largest contract body (16 patch operations) needs about 130.</summary>
    public const int MaxTokens = 1024;

    public static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    public static async Task<JsonObject> ReadAsync(HttpRequest request, RequestShape shape, CancellationToken cancellationToken)
    {
        var format = RequestFormats.FromContentType(request.ContentType);
        var body = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return Parse(body, format, shape);
    }

    /// <summary>
    /// As <see cref="ReadAsync(HttpRequest, RequestShape, CancellationToken)"/>, except that the two patch formats
    /// apply to the current resource (RFC 7396 and RFC 6902 mean that), which <paramref name="stored"/> reads only
    /// once the patch itself has passed its checks.
    /// </summary>
    public static async Task<JsonObject> ReadAsync(
        HttpRequest request,
        RequestShape shape,
        Func<CancellationToken, Task<JsonObject>> stored,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var format = RequestFormats.FromContentType(request.ContentType);
        var body = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        switch (format)
        {
            case RequestFormat.MergePatch:
                var merge = ParseJson(Required(body));
                return AsObject(JsonMergePatch.Apply(await stored(cancellationToken).ConfigureAwait(false), merge));
            case RequestFormat.JsonPatch:
                var patch = JsonPatchReader.Read(Required(body), shape);
                return JsonPatchReader.Apply(patch, await stored(cancellationToken).ConfigureAwait(false));
            default:
                return Parse(body, format, shape);
        }
    }

    public static JsonObject Parse(ReadOnlySpan<byte> body, RequestFormat format, RequestShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        body = Required(body);
        return format switch
        {
            RequestFormat.Json => AsObject(ParseJson(body, shape.MaxTokens)),
            RequestFormat.Xml => XmlRequestReader.Read(body, shape.XmlRoot),
            RequestFormat.Form => FormRequestReader.Read(body),
            RequestFormat.MergePatch => AsObject(JsonMergePatch.Apply(new JsonObject(NodeOptions), ParseJson(body))),
            RequestFormat.JsonPatch => JsonPatchReader.ApplyToEmpty(body, shape),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    public static JsonNode? ParseJson(ReadOnlySpan<byte> body) => ParseJson(body, MaxTokens);

    /// <summary>As <see cref="ParseJson(ReadOnlySpan{byte})"/>, with a route's own token budget.</summary>
    public static JsonNode? ParseJson(ReadOnlySpan<byte> body, int maxTokens)
    {
        try
        {
            // Counting first checks syntax, depth and size without allocating, so only a sound body is built.
            CountTokens(body, maxTokens);
            return JsonTreeReader.Read(body, NodeOptions, MaxDepth);
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

    /// <summary>
    /// A tree of JSON nodes costs about 100 bytes a value, so 64 KiB of <c>[0,0,…]</c> would cost megabytes:
    /// counting tokens first, without allocating, keeps every JSON body's cost near its size.
    /// </summary>
    private static void CountTokens(ReadOnlySpan<byte> body, int maxTokens)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        for (var tokens = 1; reader.Read(); tokens++)
        {
            if (tokens > maxTokens)
            {
                throw ApiException.BadRequest("Body", $"The body has more than {maxTokens} JSON tokens; no request of this route needs as many.");
            }
        }
    }

    private static JsonObject AsObject(JsonNode? node) => node as JsonObject
        ?? throw ApiException.BadRequest("Body", "The body must be an object.");

    /// <summary>The body without a UTF-8 byte order mark; an empty or blank one is 400.</summary>
    private static ReadOnlySpan<byte> Required(ReadOnlySpan<byte> body)
    {
        body = WithoutUtf8Bom(body);
        return body.Trim(" \t\r\n"u8).IsEmpty ? throw ApiException.BadRequest("Body", "A request body is required.") : body;
    }

    private static ReadOnlySpan<byte> WithoutUtf8Bom(ReadOnlySpan<byte> body) =>
        body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body[3..] : body;
}
