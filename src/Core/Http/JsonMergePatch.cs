using System.Text.Json.Nodes;

namespace PresenceFunctions.Http;

/// <summary>RFC 7396 JSON Merge Patch.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject(RequestDocument.NodeOptions);
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            var existing = result[name];
            var merged = Apply(existing, value);
            if (!ReferenceEquals(existing, merged))
            {
                result[name] = merged;
            }
        }

        return result;
    }
}
