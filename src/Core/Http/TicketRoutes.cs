namespace PresenceFunctions.Http;

/// <summary>The ticket routes, below the host's <c>api</c> prefix, PascalCase as SuperOffice's. Function attributes use these constants.</summary>
public static class TicketRoutes
{
    public const string Category = "v1/TicketCategories/{categoryId}";
    public const string CategoryTickets = "v1/TicketCategories/{categoryId}/Tickets";
    public const string Ticket = "v1/Tickets/{ticketId}";
    public const string TicketMessages = "v1/Tickets/{ticketId}/Messages";
    public const string UserTickets = "v1/User/{associateId}/Tickets";

    /// <summary>Every ticket route and the methods it answers, for telling 404 from 405.</summary>
    public static readonly IReadOnlyList<(string Template, string[] Methods)> All =
    [
        (Category, ["GET", "PUT"]),
        (CategoryTickets, ["GET"]),
        (Ticket, ["GET", "PUT"]),
        (TicketMessages, ["POST"]),
        (UserTickets, ["GET"]),
    ];
}
