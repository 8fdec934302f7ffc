using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace PresenceFunctions.Http;

/// <summary>
/// RFC 6902 JSON Patch, limited to what the contract needs: add, replace, remove and test, on the route's
/// own paths, at most <see cref="MaxOperations"/> operations. The whole patch is checked before anything is
/// applied, so copy or move chains that double the document per operation never run.
/// ASP.NET Core's JsonPatch library applies what passes.
/// </summary>
public static class JsonPatchReader
{
    public const int MaxOperations = 16;

    private static readonly string[] AllowedOperations = ["add", "replace", "remove", "test"];

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { MaxDepth = RequestDocument.MaxDepth };

    public static JsonObject ApplyToEmpty(ReadOnlySpan<byte> body, RequestShape shape) =>
        Apply(Read(body, shape), new JsonObject(RequestDocument.NodeOptions));

    /// <summary>Parses and checks a patch against the route's paths; nothing is applied yet.</summary>
    public static JsonPatchDocument Read(ReadOnlySpan<byte> body, RequestShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (RequestDocument.ParseJson(body) is not JsonArray operations)
        {
            throw NotAPatch();
        }

        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i] as JsonObject ?? throw NotAPatch();
            Check(operation, i + 1, shape);
            if (i == MaxOperations)
            {
                throw ApiException.BadRequest(
                    "Body",
                    $"JSON Patch operation {i + 1} ({Text(operation["op"])}) is one too many: at most {MaxOperations} operations are allowed.");
            }
        }

        try
        {
            return operations.Deserialize<JsonPatchDocument>(Options) ?? throw NotAPatch();
        }
        catch (JsonException)
        {
            throw NotAPatch();
        }
    }

    /// <summary>Applies a checked patch to <paramref name="target"/>; an operation that fails (a test, a missing member) is 400.</summary>
    public static JsonObject Apply(JsonPatchDocument patch, JsonObject target)
    {
        ArgumentNullException.ThrowIfNull(patch);
        JsonPatchError? failure = null;
        try
        {
            patch.ApplyTo(target, error => failure ??= error);
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

        return target;
    }

    /// <summary>Refuses an operation outside the contract, and spells its path as the contract does, so the library sees one name.</summary>
    private static void Check(JsonObject operation, int number, RequestShape shape)
    {
        var op = Text(operation["op"]);
        var path = Text(operation["path"]);
        if (op is null || path is null)
        {
            throw ApiException.BadRequest("Body", $"JSON Patch operation {number} needs a string \"op\" and \"path\".");
        }

        if (!AllowedOperations.Contains(op, StringComparer.Ordinal))
        {
            throw ApiException.BadRequest(
                "Body",
                $"JSON Patch operation {number} ({LogSafe(op)}) is not allowed: only add, replace, remove and test are.");
        }

        var canonical = shape.PatchPaths.FirstOrDefault(p => string.Equals(p, path, StringComparison.OrdinalIgnoreCase))
            ?? throw ApiException.BadRequest(
                "Body",
                $"JSON Patch operation {number} ({op}) targets {LogSafe(path)}; this route accepts only {string.Join(", ", shape.PatchPaths)}.");
        operation["path"] = canonical;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>Echoes at most a short prefix of what the caller sent.</summary>
    private static string LogSafe(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static ApiException NotAPatch() =>
        ApiException.BadRequest("Body", "The body is not a JSON Patch document (an array of operations).");
}
