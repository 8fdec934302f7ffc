using System.Text.Json.Nodes;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>A response body before serialization, with the element name XML gives its root.</summary>
public sealed record ApiPayload(JsonObject Body, string XmlRoot)
{
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
