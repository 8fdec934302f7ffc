namespace PresenceFunctions.Http;

/// <summary>Serializes payloads and errors in the negotiated format.</summary>
public static class ApiResponses
{
    public static PayloadResult Ok(ApiPayload payload, ResponseFormat format) =>
        new(200, format.ContentType, PayloadWriter.Write(payload.Body, payload.XmlRoot, format.Kind, payload.XmlItems), []);

    public static PayloadResult Error(ApiError error, ResponseFormat format)
    {
        var payload = ApiPayload.Error(error);
        return new(error.StatusCode, format.ContentType, PayloadWriter.Write(payload.Body, payload.XmlRoot, format.Kind), error.Headers);
    }
}
