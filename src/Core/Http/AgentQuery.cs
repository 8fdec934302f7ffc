using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Http;

/// <summary>
/// The agent parameters SuperOffice's agents guide passes in the query string (<c>?associateId=259</c>),
/// names case-insensitive, dotted or bracketed for the carrier. Every other parameter ($select included)
/// is left alone, as ASP.NET Core model binding leaves it.
/// </summary>
public static class AgentQuery
{
    private static readonly string[] CarrierProperties = ["Status", "Message"];

    /// <summary>The parameters as a request document with the contract's spelling of names, or null when there are none.</summary>
    public static JsonObject? Read(IQueryCollection query, RequestShape shape)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(shape);
        JsonObject? document = null;
        foreach (var (key, values) in query)
        {
            var root = RootName(key, shape);
            if (root is null)
            {
                continue;
            }

            if (values.Count > 1)
            {
                throw ApiException.BadRequest(key, $"The query parameter {key} is given more than once.");
            }

            if (!FieldPath.TrySplit(key, out var segments))
            {
                throw ApiException.BadRequest(key, $"The query parameter {key} is not a property path.");
            }

            // The contract's spelling, so that a conflict with the body names the field as the contract does.
            segments[0] = root;
            if (segments.Length > 1 && Array.Find(CarrierProperties, p => p.Equals(segments[1], StringComparison.OrdinalIgnoreCase)) is { } property)
            {
                segments[1] = property;
            }

            document ??= new JsonObject(RequestDocument.NodeOptions);
            FieldPath.Put(document, segments, JsonValue.Create(values.ToString()), key);
        }

        return document;
    }

    /// <summary>The request property a parameter belongs to, read from its first path segment without splitting the rest.</summary>
    private static string? RootName(string key, RequestShape shape)
    {
        var end = key.AsSpan().IndexOfAny('.', '[');
        var first = (end < 0 ? key.AsSpan() : key.AsSpan(0, end)).Trim();
        if (first.Equals(PresenceRequestBinder.AssociateIdField, StringComparison.OrdinalIgnoreCase))
        {
            return PresenceRequestBinder.AssociateIdField;
        }

        return shape == RequestShape.SetRequest && first.Equals(PresenceRequestBinder.CarrierField, StringComparison.OrdinalIgnoreCase)
            ? PresenceRequestBinder.CarrierField
            : null;
    }
}
