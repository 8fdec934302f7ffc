using System.Globalization;
using System.Text.Json.Nodes;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Http;

/// <summary>Reads the ticket routes' ids and bodies, naming the field at fault; the service only ever sees valid ids.</summary>
public static class TicketRequestBinder
{
    public const int MaxMembers = 1000;
    public const int MaxWeight = 1000;
    public const int MaxNameLength = 256;

    private static readonly string[] CategoryFields =
        ["Id", "Name", "Method", "AdminId", "FallbackToAdmin", "RebalanceOnPresence", "ReassignOnNewMessage", "Members"];

    private static readonly string[] MemberFields = ["AssociateId", "Weight"];

    private static readonly string[] TicketFields = ["TicketId", "CategoryId", "OwnerId", "State"];

    /// <summary>A route's id (<c>{categoryId}</c>, <c>{ticketId}</c>, <c>{associateId}</c>): a positive integer.</summary>
    public static int ParseRouteId(string? value, string field) =>
        int.TryParse(value.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw ApiException.BadRequest(field, $"{field} in the route must be a positive integer.");

    /// <summary>A whole category: Name and Method are required, the rest default as SuperOffice's do.</summary>
    public static CategorySettings BindCategory(JsonObject body, int categoryId)
    {
        ArgumentNullException.ThrowIfNull(body);
        BodyValues.OnlyKnown(body, "", CategoryFields);
        SameId(body["Id"], "Id", categoryId);
        var name = BodyValues.Text(body["Name"], "Name", MaxNameLength);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ApiException.BadRequest("Name", "Name is required.");
        }

        var method = BodyValues.Named<AssignmentMethod>(body["Method"], "Method")
            ?? throw ApiException.BadRequest("Method", $"Method is required: one of {string.Join(", ", Enum.GetNames<AssignmentMethod>())}.");
        var adminId = BodyValues.Whole(body["AdminId"], "AdminId", 0, int.MaxValue) ?? 0;
        var fallback = BodyValues.Flag(body["FallbackToAdmin"], "FallbackToAdmin") ?? false;
        if (fallback && adminId == 0)
        {
            // Falling back to nobody would silently mean the backlog.
            throw ApiException.BadRequest("AdminId", "FallbackToAdmin needs an AdminId.");
        }

        return new CategorySettings(
            categoryId,
            name,
            method,
            adminId,
            fallback,
            BodyValues.Flag(body["RebalanceOnPresence"], "RebalanceOnPresence") ?? true,
            BodyValues.Flag(body["ReassignOnNewMessage"], "ReassignOnNewMessage") ?? true,
            BindMembers(body["Members"]));
    }

    /// <summary>A ticket change: null or absent fields keep what is stored; at least one field must be given.</summary>
    public static TicketChange BindTicket(JsonObject body, int ticketId)
    {
        ArgumentNullException.ThrowIfNull(body);
        BodyValues.OnlyKnown(body, "", TicketFields);
        SameId(body["TicketId"], "TicketId", ticketId);
        var change = new TicketChange(
            ticketId,
            BodyValues.Whole(body["CategoryId"], "CategoryId", 1, int.MaxValue),
            BodyValues.Whole(body["OwnerId"], "OwnerId", 0, int.MaxValue),
            BodyValues.Named<TicketState>(body["State"], "State"));
        return change is { CategoryId: null, OwnerId: null, State: null }
            ? throw ApiException.BadRequest("Body", "The body changes nothing: send CategoryId, OwnerId (0 = none) or State (Open, Closed).")
            : change;
    }

    private static List<CategoryMember> BindMembers(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray items)
        {
            throw ApiException.BadRequest("Members", "Members must be an array of {AssociateId, Weight}.");
        }

        if (items.Count > MaxMembers)
        {
            throw ApiException.BadRequest("Members", $"A category has at most {MaxMembers} members.");
        }

        var members = new List<CategoryMember>(items.Count);
        var seen = new HashSet<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = $"Members[{i.ToString(CultureInfo.InvariantCulture)}].";
            if (items[i] is not JsonObject item)
            {
                throw ApiException.BadRequest($"Members[{i.ToString(CultureInfo.InvariantCulture)}]", "Each member must be an object {AssociateId, Weight}.");
            }

            BodyValues.OnlyKnown(item, prefix, MemberFields);
            var associateId = BodyValues.Whole(item["AssociateId"], prefix + "AssociateId", 1, int.MaxValue)
                ?? throw ApiException.BadRequest(prefix + "AssociateId", $"{prefix}AssociateId is required.");
            if (!seen.Add(associateId))
            {
                throw ApiException.BadRequest(prefix + "AssociateId", $"Associate {associateId} is listed twice.");
            }

            members.Add(new CategoryMember(associateId, BodyValues.Whole(item["Weight"], prefix + "Weight", 1, MaxWeight) ?? 1));
        }

        return members;
    }

    /// <summary>An id echoed in the body (a GET answer sent back) must be the route's; a different one is a mistake, not a rename.</summary>
    private static void SameId(JsonNode? node, string field, int routeId)
    {
        if (BodyValues.Whole(node, field, 1, int.MaxValue) is { } id && id != routeId)
        {
            throw ApiException.BadRequest(field, $"{field} {id} in the body is not the route's {routeId}.");
        }
    }
}
