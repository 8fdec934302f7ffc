using System.Text.Json.Nodes;

namespace PresenceFunctions.Http;

/// <summary>Serializes payloads and errors in the negotiated format.</summary>
public static class ApiResponses
{
    public static PayloadResult Ok(ApiPayload payload, ResponseFormat format)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var body = payload is { BareList: true, SelectItems: { } items }
            ? PayloadWriter.WriteList((JsonArray)payload.Body[items]!, payload.XmlRoot, payload.XmlItems[items], format.Kind)
            : PayloadWriter.Write(payload.Body, payload.XmlRoot, format.Kind, payload.XmlItems);
        return new(200, format.ContentType, body, payload.Headers);
    }

    public static PayloadResult Error(ApiError error, ResponseFormat format)
    {
        var payload = ApiPayload.Error(error);
        return new(error.StatusCode, format.ContentType, PayloadWriter.Write(payload.Body, payload.XmlRoot, format.Kind), error.Headers);
    }
}
