namespace PresenceFunctions.Http;

/// <summary>What a route expects as its body: the XML root element names it.</summary>
public sealed record RequestShape(string XmlRoot)
{
    public static readonly RequestShape SetRequest = new("SetUserPresenceStatusRequest");
    public static readonly RequestShape GetRequest = new("GetUserPresenceStatusRequest");
    public static readonly RequestShape Carrier = new("UserPresenceStatus");
}
