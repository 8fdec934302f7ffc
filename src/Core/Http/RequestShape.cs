namespace PresenceFunctions.Http;

/// <summary>What a route expects as its body: the XML root element names it, and JSON Patch may touch only its paths.</summary>
public sealed record RequestShape(string XmlRoot, IReadOnlyList<string> PatchPaths)
{
    private static readonly string[] AgentPaths = ["/AssociateId", "/UserPresenceStatus", "/UserPresenceStatus/Status", "/UserPresenceStatus/Message"];

    public static readonly RequestShape SetRequest = new("SetUserPresenceStatusRequest", AgentPaths);
    public static readonly RequestShape GetRequest = new("GetUserPresenceStatusRequest", AgentPaths);
    public static readonly RequestShape Carrier = new("UserPresenceStatus", ["/Status", "/Message"]);
}
