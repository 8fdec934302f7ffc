using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>
/// Scalar values of a request document, whichever format it came in: JSON gives numbers and booleans,
/// XML and form give the same as text. Each read names the field when the value is wrong.
/// </summary>
public static class BodyValues
{
    /// <summary>Refuses every property not in <paramref name="known"/> (names compare in any case): a typo must not be a silent no-op.</summary>
    public static void OnlyKnown(JsonObject body, string prefix, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(known);
        foreach (var (name, _) in body)
        {
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw ApiException.BadRequest(prefix + name, $"{prefix}{name} is not a property of this request; it takes {string.Join(", ", known)}.");
            }
        }
    }

    /// <summary>An integer in [min, max], or null when the property is absent or null.</summary>
    public static int? Whole(JsonNode? node, string field, int min, int max)
    {
        if (node is null)
        {
            return null;
        }

        int? number = node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.Number => value.TryGetValue<int>(out var n) ? n : null,
                JsonValueKind.String => int.TryParse(value.GetValue<string>().AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
                _ => null,
            }
            : null;
        return number >= min && number <= max
            ? number
            : throw ApiException.BadRequest(field, $"{field} must be an integer from {min} to {max}.");
    }

    public static bool? Flag(JsonNode? node, string field)
    {
        if (node is null)
        {
            return null;
        }

        bool? flag = node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => bool.TryParse(value.GetValue<string>().AsSpan().Trim(), out var parsed) ? parsed : null,
                _ => null,
            }
            : null;
        return flag ?? throw ApiException.BadRequest(field, $"{field} must be true or false.");
    }

    /// <summary>An enum member by name, in any case; numbers are refused, so only the documented names mean anything.</summary>
    public static TEnum? Named<TEnum>(JsonNode? node, string field)
        where TEnum : struct, System.Enum
    {
        if (node is null)
        {
            return null;
        }

        var names = System.Enum.GetNames<TEnum>();
        var text = node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>().Trim() : null;
        return Array.Find(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name
            ? System.Enum.Parse<TEnum>(name)
            : throw ApiException.BadRequest(field, $"{field} must be one of {string.Join(", ", names)}.");
    }

    public static string? Text(JsonNode? node, string field, int maxLength)
    {
        if (node is null)
        {
            return null;
        }

        var text = node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw ApiException.BadRequest(field, $"{field} must be a string.");
        if (text.Length > maxLength)
        {
            throw ApiException.BadRequest(field, $"{field} is longer than {maxLength} characters.");
        }

        return PresenceRules.IsWritableText(text)
            ? text
            : throw ApiException.BadRequest(field, $"{field} contains control characters or invalid UTF-16.");
    }
}
