using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Http;

/// <summary>
/// An agent request's parameters from the query string, the body, or both. A POST without a body needs
/// no Content-Type; a parameter given in both places must carry the same value in both.
/// </summary>
public static class AgentRequest
{
    public static async Task<JsonObject> ReadAsync(HttpRequest request, RequestShape shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = AgentQuery.Read(request.Query, shape);

        // A wrong Content-Type is refused before the body is read; a missing one only matters once there is a body.
        RequestFormat? format = string.IsNullOrWhiteSpace(request.ContentType) ? null : RequestFormats.FromContentType(request.ContentType);
        var bytes = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        var body = IsBlank(bytes) ? null : RequestDocument.Parse(bytes, format ?? RequestFormats.FromContentType(request.ContentType), shape);
        return Merge(query, body);
    }

    /// <summary>The body with the query's parameters added; the same field with different values in both is a 400 naming it.</summary>
    public static JsonObject Merge(JsonObject? query, JsonObject? body)
    {
        if (body is null)
        {
            return query ?? throw ApiException.BadRequest("Body", "A request body, or the request's parameters in the query string, is required.");
        }

        if (query is not null)
        {
            MergeInto(body, query, prefix: "");
        }

        return body;
    }

    private static void MergeInto(JsonObject body, JsonObject query, string prefix)
    {
        foreach (var (name, value) in query)
        {
            var field = prefix + name;
            if (!body.TryGetPropertyValue(name, out var existing))
            {
                body[name] = value?.DeepClone();
            }
            else if (value is JsonObject queryObject && existing is JsonObject bodyObject)
            {
                MergeInto(bodyObject, queryObject, field + ".");
            }
            else if (!PresenceRequestBinder.SameValue(field, existing, value))
            {
                throw ApiException.BadRequest(field, $"{field} is given in the query string and in the body with different values.");
            }
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> body) =>
        (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body[3..] : body).Trim(" \t\r\n"u8).IsEmpty;
}
