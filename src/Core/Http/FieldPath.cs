using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace PresenceFunctions.Http;

/// <summary>
/// Form and query field names as property paths: dotted (<c>UserPresenceStatus.Status</c>), jQuery's
/// brackets (<c>UserPresenceStatus[Status]</c>), or a mix; both spellings of one path are the same field.
/// </summary>
public static class FieldPath
{
    private static readonly SearchValues<char> NameEnd = SearchValues.Create(".[]");
    private static readonly SearchValues<char> Brackets = SearchValues.Create("[]");

    public static bool TrySplit(string key, [NotNullWhen(true)] out string[]? segments)
    {
        ArgumentNullException.ThrowIfNull(key);
        segments = null;
        var parts = new List<string>(2);
        var rest = key.AsSpan();
        if (!TakeName(ref rest, NameEnd, parts))
        {
            return false;
        }

        while (!rest.IsEmpty)
        {
            var opener = rest[0];
            rest = rest[1..];
            if (opener == '.')
            {
                if (!TakeName(ref rest, NameEnd, parts))
                {
                    return false;
                }
            }
            else if (opener != '[' || !TakeName(ref rest, Brackets, parts) || rest.IsEmpty || rest[0] != ']')
            {
                return false;
            }
            else
            {
                rest = rest[1..];
            }

            if (parts.Count > RequestDocument.MaxDepth)
            {
                return false;
            }
        }

        segments = [.. parts];
        return true;
    }

    /// <summary>Sets the value at the path, creating objects on the way; a path already set, or set through a value, is a conflict.</summary>
    public static void Put(JsonObject document, string[] segments, JsonNode? value, string key)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(segments);
        var current = document;
        foreach (var segment in segments[..^1])
        {
            var next = current[segment];
            if (next is null && !current.ContainsKey(segment))
            {
                next = new JsonObject(RequestDocument.NodeOptions);
                current[segment] = next;
            }

            current = next as JsonObject ?? throw Conflict(key);
        }

        if (current.ContainsKey(segments[^1]))
        {
            throw Conflict(key);
        }

        current[segments[^1]] = value;
    }

    private static bool TakeName(ref ReadOnlySpan<char> rest, SearchValues<char> end, List<string> parts)
    {
        var length = rest.IndexOfAny(end);
        if (length < 0)
        {
            length = rest.Length;
        }

        var name = rest[..length].Trim();
        rest = rest[length..];
        if (name.IsEmpty)
        {
            return false;
        }

        parts.Add(name.ToString());
        return true;
    }

    private static ApiException Conflict(string key) =>
        ApiException.BadRequest(key, $"The field {key} conflicts with another field of the same path.");
}
