using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>Reads the contract's requests out of a parsed body, naming the field at fault when one is wrong.</summary>
public static class PresenceRequestBinder
{
    public const string AssociateIdField = "AssociateId";
    public const string CarrierField = "UserPresenceStatus";

    public static SetPresenceRequest BindSet(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var request = new SetPresenceRequest(
            ReadAssociateId(body[AssociateIdField], body.ContainsKey(AssociateIdField), AssociateIdField),
            ReadOptionalCarrier(body[CarrierField], CarrierField));

        // Without a carrier nothing changes; a property the contract does not know is then most likely a
        // misplaced or misspelt carrier, and answering 200 would be a silent no-op.
        if (!body.ContainsKey(CarrierField)
            && body.Select(p => p.Key).FirstOrDefault(name => !name.Equals(AssociateIdField, StringComparison.OrdinalIgnoreCase)) is { } unknown)
        {
            throw ApiException.BadRequest(unknown, $"{unknown} is not a property of the request and there is no {CarrierField}; send the status in {CarrierField}.");
        }

        return request;
    }

    public static int BindGet(JsonObject body) =>
        ReadAssociateId(body[AssociateIdField], body.ContainsKey(AssociateIdField), AssociateIdField);

    /// <summary>A bare carrier, as PUT sends it: Status is required.</summary>
    public static UserPresenceStatus BindCarrier(JsonObject body) => ReadCarrier(body, prefix: "");

    /// <summary>
    /// Whether a field's two spellings mean the same: the same text, or the same number or status name
    /// (<c>259</c> and <c>"259"</c>, <c>2</c> and <c>StatusNotAvailable</c>).
    /// </summary>
    public static bool SameValue(string field, JsonNode? left, JsonNode? right)
    {
        if (TextOf(left) is not { } a || TextOf(right) is not { } b)
        {
            return left is null && right is null;
        }

        return string.Equals(a, b, StringComparison.Ordinal)
            || (field == AssociateIdField && TryParseId(a, out var x) && TryParseId(b, out var y) && x == y)
            || (field == CarrierField + ".Status" && UserStatusNames.TryParse(a, out var s) && UserStatusNames.TryParse(b, out var t) && s == t);
    }

    /// <summary>The route's <c>{associateId}</c>.</summary>
    public static int ParseRouteAssociateId(string? value) =>
        TryParseId(value, out var id) && id > 0
            ? id
            : throw ApiException.BadRequest("associateId", "associateId in the route must be a positive integer.");

    private static int ReadAssociateId(JsonNode? node, bool present, string field)
    {
        if (node is null)
        {
            throw ApiException.BadRequest(field, present ? $"{field} must not be null." : $"{field} is required.");
        }

        int? id = node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.Number => value.TryGetValue<int>(out var number) ? number : null,
                JsonValueKind.String => TryParseId(value.GetValue<string>(), out var parsed) ? parsed : null,
                _ => null,
            }
            : null;
        return id > 0 ? id.Value : throw ApiException.BadRequest(field, $"{field} must be a positive integer.");
    }

    private static UserPresenceStatus? ReadOptionalCarrier(JsonNode? node, string field) => node switch
    {
        null => null,

        // An empty XML element or form field carries a carrier with nothing in it; only null means "no change".
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0 => throw BindsNothing(field),
        JsonObject obj => ReadCarrier(obj, field + "."),
        _ => throw ApiException.BadRequest(field, $"{field} must be an object or null."),
    };

    private static UserPresenceStatus ReadCarrier(JsonObject carrier, string prefix)
    {
        if (!carrier.ContainsKey("Status") && !carrier.ContainsKey("Message"))
        {
            throw BindsNothing(CarrierField);
        }

        var statusField = prefix + "Status";
        var messageField = prefix + "Message";
        var status = ReadStatus(carrier["Status"], statusField);
        var message = carrier["Message"] switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw ApiException.BadRequest(messageField, $"{messageField} must be a string or null."),
        };

        if (message is not null && message.Length > PresenceRules.MaxMessageLength)
        {
            throw ApiException.BadRequest(messageField, $"{messageField} is longer than {PresenceRules.MaxMessageLength} characters.");
        }

        if (message is not null && !PresenceRules.IsWritableText(message))
        {
            throw ApiException.BadRequest(messageField, $"{messageField} contains control characters or invalid UTF-16.");
        }

        return new UserPresenceStatus(status, message);
    }

    private static UserStatus ReadStatus(JsonNode? node, string field)
    {
        var text = node switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        };

        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.BadRequest(field, $"{field} is required: StatusNormal (1) or StatusNotAvailable (2).");
        }

        if (!UserStatusNames.TryParse(text, out var status))
        {
            throw ApiException.BadRequest(field, $"{field} is not an EjUserStatus name or number; use StatusNormal (1) or StatusNotAvailable (2).");
        }

        return status.IsPresence()
            ? status
            : throw ApiException.BadRequest(field, $"{field} {status.ToName()} describes an account, not presence; use StatusNormal (1) or StatusNotAvailable (2).");
    }

    private static ApiException BindsNothing(string field) => ApiException.BadRequest(
        field,
        $"{field} carries neither Status nor Message; send Status (StatusNormal or StatusNotAvailable), or null to change nothing.");

    private static string? TextOf(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => null,
    };

    private static bool TryParseId(string? text, out int id) =>
        int.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out id);
}
