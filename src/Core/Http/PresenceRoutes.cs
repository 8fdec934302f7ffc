namespace PresenceFunctions.Http;

/// <summary>The contract's routes, below the host's <c>api</c> prefix. Function attributes use these constants.</summary>
public static class PresenceRoutes
{
    public const string Prefix = "api";
    public const string AgentSet = "v1/Agents/User/SetUserPresenceStatus";
    public const string AgentGet = "v1/Agents/User/GetUserPresenceStatus";
    public const string User = "v1/User/{associateId}/UserPresenceStatus";
    public const string UserHistory = "v1/User/{associateId}/UserPresenceStatus/History";
    public const string Team = "v1/UserPresenceStatus";
    public const string Health = "health";
    public const string OpenApi = "openapi.json";

    /// <summary>Every route and the methods it answers, for telling 404 from 405.</summary>
    public static readonly IReadOnlyList<(string Template, string[] Methods)> All =
    [
        (AgentSet, ["POST"]),
        (AgentGet, ["POST"]),
        (User, ["GET", "PUT"]),
        (UserHistory, ["GET"]),
        (Team, ["GET"]),
        (Health, ["GET"]),
        (OpenApi, ["GET"]),
        .. TicketRoutes.All,
    ];
}
