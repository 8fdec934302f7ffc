using System.Collections.ObjectModel;
using System.Text.Json.Nodes;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>A response body before serialization, with the element name XML gives its root.</summary>
public sealed record ApiPayload(JsonObject Body, string XmlRoot)
{
    /// <summary>For each array property, the element name XML gives its items (<c>Members</c> holds <c>TicketCategoryMember</c>s).</summary>
    /// <remarks>Shared and read-only when empty: a carrier or error is written on every request and has no list.</remarks>
    public IReadOnlyDictionary<string, string> XmlItems { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The array property whose items <c>$select</c> applies to, for a list; null when it applies to the body.</summary>
    public string? SelectItems { get; init; }

    /// <summary>True when the answer is the <see cref="SelectItems"/> array itself (JSON <c>[...]</c>, XML items under the root), not an object holding it.</summary>
    public bool BareList { get; init; }

    /// <summary>Headers the answer carries besides the body (<c>SO-Presence-Expires</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public static ApiPayload Carrier(UserPresenceStatus carrier) => new(
        new JsonObject
        {
            ["Status"] = carrier.Status.ToName(),
            ["Message"] = carrier.Message,
        },
        "UserPresenceStatus");

    public static ApiPayload Error(ApiError error) => new(
        new JsonObject
        {
            ["Error"] = true,
            ["ErrorType"] = error.ErrorType,
            ["ErrorMessage"] = error.ErrorMessage,
            ["ErrorSource"] = error.ErrorSource,
        },
        "ErrorResponse");
}
