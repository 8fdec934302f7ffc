using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Operations;

namespace PresenceFunctions.Http;

/// <summary>RFC 6902 JSON Patch, applied to an empty request document by ASP.NET Core's JsonPatch library.</summary>
public static class JsonPatchReader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { MaxDepth = RequestDocument.MaxDepth };

    public static JsonObject ApplyToEmpty(ReadOnlySpan<byte> body)
    {
        JsonPatchDocument? patch;
        try
        {
            patch = JsonSerializer.Deserialize<JsonPatchDocument>(body, Options);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("Body", "The body is not a JSON Patch document (an array of operations).");
        }

        if (patch is null || patch.Operations.Any(o => o.OperationType == OperationType.Invalid || string.IsNullOrEmpty(o.path)))
        {
            throw ApiException.BadRequest("Body", "The body is not a JSON Patch document (an array of operations).");
        }

        var document = new JsonObject(RequestDocument.NodeOptions);
        JsonPatchError? failure = null;
        try
        {
            patch.ApplyTo(document, error => failure ??= error);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw ApiException.BadRequest("Body", "The JSON Patch document has an invalid operation.");
        }

        if (failure is not null)
        {
            var index = failure.Operation is null ? -1 : patch.Operations.IndexOf(failure.Operation);
            throw ApiException.BadRequest(
                "Body",
                $"JSON Patch operation {index + 1} ({failure.Operation?.op}) cannot be applied to the request document.");
        }

        return document;
    }
}
