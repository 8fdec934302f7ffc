using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>
/// docs/openapi.json as a test oracle: which response a route declares for a status, and whether a JSON body
/// matches the schema declared for it (JSON Schema 2020-12, evaluated by JsonSchema.Net).
/// </summary>
public sealed class OpenApiContract
{
    private const string Prefix = "/api";
    private readonly JsonObject document;
    private readonly JsonObject definitions;
    private readonly List<(TemplateMatcher Matcher, JsonObject PathItem)> paths;
    private readonly ConcurrentDictionary<string, JsonSchema> built = new(StringComparer.Ordinal);

    private OpenApiContract(string text)
    {
        Text = text;

        // Component schemas become $defs of one schema document, so their references resolve without a registry.
        document = JsonNode.Parse(text)!.AsObject();
        definitions = JsonNode.Parse(document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        paths =
        [
            .. document["paths"]!.AsObject().Select(p =>
                (new TemplateMatcher(TemplateParser.Parse(Prefix.TrimStart('/') + p.Key), []), p.Value!.AsObject())),
        ];
    }

    public static string FilePath { get; } = typeof(OpenApiContract).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "OpenApiDocument").Value!;

    public static OpenApiContract Instance { get; } = new(File.ReadAllText(FilePath));

    public string Text { get; }

    public JsonObject Document => document;

    /// <summary>What is wrong with this answer by the document, or null when nothing is.</summary>
    public string? Check(string method, string path, int status, string? mediaType, ReadOnlySpan<byte> body)
    {
        var operation = paths
            .Where(p => p.Matcher.TryMatch(path, new RouteValueDictionary()))
            .Select(p => p.PathItem[method.ToLowerInvariant()]?.AsObject())
            .FirstOrDefault(o => o is not null);
        if (operation is null)
        {
            // No route answered: a 404 or 405 carries the error body like every other error.
            return status >= 400 ? CheckBody("Error", null, mediaType, body, $"{method} {path} {status}") : $"{method} {path} answered {status} but the document has no such operation.";
        }

        var response = Resolve(operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (response is null)
        {
            return $"{method} {path}: status {status} is not documented for operation {operation["operationId"]}.";
        }

        if (body.Length == 0 && response["content"] is null)
        {
            return null;
        }

        var content = response["content"]?.AsObject();
        var media = mediaType is null ? null : content?[mediaType]?.AsObject();
        if (media is null)
        {
            return $"{method} {path} {status}: the answer's Content-Type {mediaType ?? "(none)"} is not documented.";
        }

        return CheckBody(null, media["schema"]!.AsObject(), mediaType, body, $"{method} {path} {status}");
    }

    /// <summary>Whether a JSON value matches a component schema, with the evaluation's errors when it does not.</summary>
    public string? CheckJson(string schemaName, JsonElement value, string where) =>
        Evaluate(new JsonObject { ["$ref"] = "#/$defs/" + schemaName }, value, where);

    private string? CheckBody(string? schemaName, JsonObject? schema, string? mediaType, ReadOnlySpan<byte> body, string where)
    {
        if (mediaType is null || !(mediaType.EndsWith("/json", StringComparison.Ordinal) || mediaType.EndsWith("+json", StringComparison.Ordinal)))
        {
            // XML answers are checked for their documented media type only; the schemas describe JSON.
            return mediaType is "application/xml" or "text/xml" ? null : $"{where}: unexpected Content-Type {mediaType ?? "(none)"}.";
        }

        JsonElement value;
        try
        {
            value = JsonElement.Parse(body);
        }
        catch (JsonException e)
        {
            return $"{where}: the body is not JSON ({e.Message}).";
        }

        var target = schemaName is not null
            ? new JsonObject { ["$ref"] = "#/$defs/" + schemaName }
            : JsonNode.Parse(schema!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        return Evaluate(target, value, where);
    }

    private string? Evaluate(JsonObject target, JsonElement value, string where)
    {
        // Built once per distinct schema: JsonSchema.Net registers every schema it builds globally, so building one
        // per answer would grow the process by the thousands of answers a test suite receives.
        var schema = built.GetOrAdd(target.ToJsonString(), _ =>
        {
            target["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            target["$defs"] = definitions.DeepClone();
            return JsonSchema.FromText(target.ToJsonString());
        });
        var result = schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }

        var errors = (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        return $"{where}: the body does not match its schema: {string.Join("; ", errors)} (body: {value.GetRawText()})";
    }

    private JsonObject? Resolve(JsonNode? node)
    {
        while (node?["$ref"]?.GetValue<string>() is { } reference)
        {
            node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode?)document, (n, part) => n?[part]);
        }

        return node?.AsObject();
    }
}
