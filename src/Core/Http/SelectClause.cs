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

    private static void Apply(JsonObject body, IReadOnlyList<string[]> paths)
    {
        foreach (var name in body.Select(p => p.Key).ToList())
        {
            var matching = paths.Where(p => string.Equals(p[0], name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matching.Any(p => p.Length == 1))
            {
                continue;
            }

            if (matching.Count > 0 && body[name] is JsonObject child)
            {
                Apply(child, matching.Select(p => p[1..]).ToList());
            }
            else if (matching.Count > 0 && body[name] is JsonArray list)
            {
                // Members/AssociateId selects that property of every item.
                foreach (var item in list.OfType<JsonObject>())
                {
                    Apply(item, matching.Select(p => p[1..]).ToList());
                }
            }
            else
            {
                body[name] = null;
            }
        }
    }
}
