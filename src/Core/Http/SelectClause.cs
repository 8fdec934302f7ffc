using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace PresenceFunctions.Http;

/// <summary>
/// OData-style <c>$select</c>: comma-separated property paths, case-insensitive, <c>/</c> between
/// levels. Unselected properties stay in the response as null; an unknown name selects nothing.
/// </summary>
public sealed class SelectClause
{
    public static readonly SelectClause All = new(null);

    private readonly IReadOnlyList<string[]>? paths;

    private SelectClause(IReadOnlyList<string[]>? paths) => this.paths = paths;

    public static SelectClause Parse(StringValues values)
    {
        var paths = new List<string[]>();
        foreach (var value in values)
        {
            foreach (var item in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var segments = item.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (segments.Length > 0)
                {
                    paths.Add(segments);
                }
            }
        }

        return paths.Count == 0 ? All : new SelectClause(paths);
    }

    public void Apply(JsonObject body)
    {
        if (paths is not null)
        {
            Apply(body, paths);
        }
    }

    /// <summary>Applies to every object of a list, as OData applies <c>$select</c> to a collection's entities.</summary>
    public void ApplyToItems(JsonArray items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (paths is not null)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                Apply(item, paths);
            }
        }
    }

    /// <remarks>Loops rather than LINQ: this runs on every request that sends <c>$select</c>.</remarks>
    private static void Apply(JsonObject body, IReadOnlyList<string[]> paths)
    {
        // The names first: setting a value while enumerating the object would end the enumeration.
        var names = new string[body.Count];
        var count = 0;
        foreach (var property in body)
        {
            names[count++] = property.Key;
        }

        foreach (var name in names)
        {
            var whole = false;
            List<string[]>? deeper = null;
            foreach (var path in paths)
            {
                if (!string.Equals(path[0], name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (path.Length == 1)
                {
                    whole = true;
                    break;
                }

                (deeper ??= []).Add(path[1..]);
            }

            if (whole)
            {
                continue;
            }

            if (deeper is not null && body[name] is JsonObject child)
            {
                Apply(child, deeper);
            }
            else if (deeper is not null && body[name] is JsonArray list)
            {
                // Members/AssociateId selects that property of every item.
                foreach (var item in list.OfType<JsonObject>())
                {
                    Apply(item, deeper);
                }
            }
            else
            {
                body[name] = null;
            }
        }
    }
}
