namespace PresenceFunctions.Http;

/// <summary>What a route expects as its body: the XML root element names it, and JSON Patch may touch only its paths.</summary>
public sealed record RequestShape(string XmlRoot, IReadOnlyList<string> PatchPaths)
{
    /// <summary>A category of 1,000 members costs 6 tokens a member ({, 2 names, 2 values, }) plus its few fields.</summary>
    public const int CategoryMaxTokens = 8 * RequestDocument.MaxTokens;

    /// <summary>1,000 members take about 45 KB compact and up to about 100 KB indented.</summary>
    public const int CategoryMaxBytes = 2 * RequestBody.MaxBytes;

    private static readonly string[] AgentPaths = ["/AssociateId", "/UserPresenceStatus", "/UserPresenceStatus/Status", "/UserPresenceStatus/Message"];

    public static readonly RequestShape SetRequest = new("SetUserPresenceStatusRequest", AgentPaths);
    public static readonly RequestShape GetRequest = new("GetUserPresenceStatusRequest", AgentPaths);
    public static readonly RequestShape Carrier = new("UserPresenceStatus", ["/Status", "/Message"]);

    /// <summary>PUT TicketCategories/{id}: JSON only, so no patch paths; its token budget fits 1,000 members.</summary>
    public static readonly RequestShape TicketCategory = new("TicketCategory", []) { MaxTokens = CategoryMaxTokens, MaxBytes = CategoryMaxBytes };

    /// <summary>PUT Tickets/{id}: JSON, XML or form; null fields keep what is stored, so no patch format is needed.</summary>
    public static readonly RequestShape Ticket = new("Ticket", []);

    /// <summary>JSON tokens a body of this shape may hold (see <see cref="RequestDocument.MaxTokens"/>).</summary>
    public int MaxTokens { get; init; } = RequestDocument.MaxTokens;

    /// <summary>Bytes a body of this shape may have (413 above).</summary>
    public int MaxBytes { get; init; } = RequestBody.MaxBytes;
}
