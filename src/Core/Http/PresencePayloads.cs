using System.Globalization;
using System.Text.Json.Nodes;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>The answers of the history and team routes, and the header that says a presence expires.</summary>
public static class PresencePayloads
{
    public const string ExpiresHeader = "SO-Presence-Expires";
    public const string HistoryRoot = "ArrayOfUserPresenceStatusChange";
    public const string HistoryItem = "UserPresenceStatusChange";
    public const string TeamRoot = "ArrayOfAssociatePresence";
    public const string TeamItem = "AssociatePresence";
    private const string Items = "Items";

    /// <summary><c>SO-Presence-Expires</c> with the time as RFC 3339 in UTC, while an expiry is pending; none otherwise.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ExpiryHeaders(PresenceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.ExpiresAt is { } due ? [new(ExpiresHeader, Rfc3339(due))] : [];
    }

    public static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static ApiPayload History(IReadOnlyList<PresenceHistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var items = new JsonArray();
        foreach (var entry in entries)
        {
            items.Add(new JsonObject
            {
                ["Status"] = entry.Status.ToName(),
                ["Message"] = entry.Message,
                ["Version"] = entry.Version,
                ["ChangedAt"] = Rfc3339(entry.ChangedAt),
                ["ChangedBy"] = entry.ChangedBy,
                ["PreviousStatus"] = entry.PreviousStatus?.ToName(),
            });
        }

        return List(items, HistoryRoot, HistoryItem);
    }

    /// <param name="translate">Resolves a multi-language message to the request's language, as a single read does.</param>
    public static ApiPayload Team(IReadOnlyList<PresenceState> states, Func<string?, string?> translate)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(translate);
        var items = new JsonArray();
        foreach (var state in states)
        {
            items.Add(new JsonObject
            {
                ["AssociateId"] = state.AssociateId,
                ["Status"] = state.Status.ToName(),
                ["Message"] = translate(state.Message),
            });
        }

        return List(items, TeamRoot, TeamItem);
    }

    private static ApiPayload List(JsonArray items, string root, string item) =>
        new(new JsonObject { [Items] = items }, root)
        {
            XmlItems = new Dictionary<string, string> { [Items] = item },
            SelectItems = Items,
            BareList = true,
        };
}
