using System.Globalization;
using System.Text.Json.Nodes;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Http;

/// <summary>The ticket routes' answers, with the names XML gives them (and their list items).</summary>
public static class TicketPayloads
{
    public const string CategoryRoot = "TicketCategory";
    public const string MemberItem = "TicketCategoryMember";
    public const string TicketRoot = "Ticket";
    public const string PageRoot = "TicketPage";
    public const string TicketsProperty = "Tickets";

    public static ApiPayload Category(CategoryDetails category)
    {
        ArgumentNullException.ThrowIfNull(category);
        var members = new JsonArray();
        foreach (var member in category.Members)
        {
            members.Add(new JsonObject
            {
                ["AssociateId"] = member.AssociateId,
                ["Weight"] = member.Weight,
                ["Present"] = member.Present,
                ["OpenCount"] = member.OpenCount,
            });
        }

        return new ApiPayload(
            new JsonObject
            {
                ["Id"] = category.Id,
                ["Name"] = category.Name,
                ["Method"] = category.Method.ToString(),
                ["AdminId"] = category.AdminId,
                ["FallbackToAdmin"] = category.FallbackToAdmin,
                ["RebalanceOnPresence"] = category.RebalanceOnPresence,
                ["ReassignOnNewMessage"] = category.ReassignOnNewMessage,
                ["Members"] = members,
                ["BacklogCount"] = category.BacklogCount,
                ["HeldCount"] = category.HeldCount,
            },
            CategoryRoot)
        {
            XmlItems = new Dictionary<string, string> { ["Members"] = MemberItem },
        };
    }

    public static ApiPayload Ticket(TicketDetails ticket) => new(TicketObject(ticket), TicketRoot);

    /// <summary>A page of tickets: <c>$select</c> applies to each ticket; the token is null on the last page.</summary>
    public static ApiPayload Page(TicketPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var tickets = new JsonArray();
        foreach (var ticket in page.Tickets)
        {
            tickets.Add(TicketObject(ticket));
        }

        return new ApiPayload(
            new JsonObject
            {
                [TicketsProperty] = tickets,
                ["ContinuationToken"] = page.ContinuationToken,
            },
            PageRoot)
        {
            XmlItems = new Dictionary<string, string> { [TicketsProperty] = TicketRoot },
            SelectItems = TicketsProperty,
        };
    }

    private static JsonObject TicketObject(TicketDetails ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new JsonObject
        {
            ["TicketId"] = ticket.TicketId,
            ["CategoryId"] = ticket.CategoryId,
            ["OwnerId"] = ticket.OwnerId,
            ["State"] = ticket.State.ToString(),
            ["HeldByAdmin"] = ticket.HeldByAdmin,
            ["AssignmentVersion"] = ticket.AssignmentVersion,
            ["Reason"] = ticket.Reason,
            ["CausedBy"] = ticket.CausedBy,
            ["AssignedAt"] = ticket.AssignedAt?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        };
    }
}
