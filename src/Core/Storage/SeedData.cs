using System.Text.Json;
using System.Text.Json.Serialization;
using PresenceFunctions.Presence;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>
/// The <c>presence seed</c> file: categories with members, tickets and presences, written as given with
/// no rebalancing and no events.
/// </summary>
public sealed record SeedData(
    IReadOnlyList<SeedCategory> Categories,
    IReadOnlyList<SeedTicket> Tickets,
    IReadOnlyList<SeedPresence> Presence)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads and checks a seed file; every problem is named in the exception message.</summary>
    public static SeedData Parse(string json)
    {
        SeedData? data;
        try
        {
            data = JsonSerializer.Deserialize<SeedData>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The seed file is not valid: {e.Message}", e);
        }

        data = data is null ? throw new FormatException("The seed file is empty.") : data with
        {
            Categories = data.Categories ?? [],
            Tickets = data.Tickets ?? [],
            Presence = data.Presence ?? [],
        };
        data.Check();
        return data;
    }

    /// <summary>Presence first, so each member row carries the presence the store holds (the seed's, or as it was).</summary>
    public async Task WriteAsync(TicketStore tickets, PresenceStore presence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(presence);
        foreach (var given in Presence)
        {
            var status = UserStatusNames.TryParse(given.Status, out var parsed) ? parsed : throw new FormatException($"presence of {given.AssociateId}: unknown status");
            await presence.SeedAsync(given.AssociateId, new UserPresenceStatus(status, given.Message), cancellationToken).ConfigureAwait(false);
        }

        foreach (var category in Categories)
        {
            var members = new List<StoredMember>();
            foreach (var member in category.Members ?? [])
            {
                var state = await presence.ReadAsync(member.AssociateId, cancellationToken).ConfigureAwait(false);
                members.Add(new StoredMember(member.AssociateId, member.Weight ?? 1, state.Status.ToName(), state.Version, 0));
            }

            await tickets.SeedCategoryAsync(
                new Category(category.Id, category.Name ?? "", category.Method, category.AdminId, category.FallbackToAdmin, Cursor: 0, category.RebalanceOnPresence ?? true, category.ReassignOnNewMessage ?? true),
                members,
                cancellationToken).ConfigureAwait(false);
        }

        await tickets.SaveTicketsAsync(
            Tickets.Select(t => new Ticket(t.Id, t.CategoryId, t.OwnerId, t.State, t.HeldByAdmin)),
            cancellationToken).ConfigureAwait(false);
    }

    private void Check()
    {
        var problems = new List<string>();
        var categoryIds = Categories.Select(c => c.Id).ToHashSet();
        problems.AddRange(Categories.Where(c => c.Id <= 0).Select(c => $"category {c.Id}: id must be positive"));
        problems.AddRange(Categories.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => $"category {g.Key} appears more than once"));
        problems.AddRange(Categories.Where(c => c.AdminId < 0).Select(c => $"category {c.Id}: adminId must be 0 (none) or an associate id"));
        problems.AddRange(Categories.SelectMany(c => (c.Members ?? []).GroupBy(m => m.AssociateId).Where(g => g.Count() > 1)
            .Select(g => $"category {c.Id}: member {g.Key} appears more than once")));
        problems.AddRange(Categories.SelectMany(c => (c.Members ?? []).Where(m => m.AssociateId <= 0 || m.Weight is < 1)
            .Select(m => $"category {c.Id}: member {m.AssociateId} needs a positive id and a weight of at least 1")));
        problems.AddRange(Tickets.Where(t => t.Id <= 0).Select(t => $"ticket {t.Id}: id must be positive"));
        problems.AddRange(Tickets.GroupBy(t => t.Id).Where(g => g.Count() > 1).Select(g => $"ticket {g.Key} appears more than once"));
        problems.AddRange(Tickets.Where(t => !categoryIds.Contains(t.CategoryId)).Select(t => $"ticket {t.Id}: category {t.CategoryId} is not in the file"));
        problems.AddRange(Tickets.Where(t => t.HeldByAdmin && Categories.FirstOrDefault(c => c.Id == t.CategoryId) is { } c && (c.AdminId == 0 || t.OwnerId != c.AdminId))
            .Select(t => $"ticket {t.Id}: only the category's admin holds a ticket through fallback (heldByAdmin)"));
        problems.AddRange(Tickets.Where(t => t.OwnerId < 0).Select(t => $"ticket {t.Id}: ownerId must be 0 (unassigned) or an associate id"));
        problems.AddRange(Presence.Where(p => p.AssociateId <= 0 || !UserStatusNames.TryParse(p.Status, out var s) || !s.IsPresence())
            .Select(p => $"presence of {p.AssociateId}: needs a positive associateId and status StatusNormal or StatusNotAvailable"));
        if (problems.Count > 0)
        {
            throw new FormatException("The seed file is not valid:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }
}

/// <param name="RebalanceOnPresence">Optional; true when absent.</param>
/// <param name="ReassignOnNewMessage">Optional; true when absent.</param>
public sealed record SeedCategory(
    int Id,
    string? Name,
    AssignmentMethod Method,
    int AdminId,
    bool FallbackToAdmin,
    IReadOnlyList<SeedMember>? Members,
    bool? RebalanceOnPresence = null,
    bool? ReassignOnNewMessage = null);

public sealed record SeedMember(int AssociateId, int? Weight);

public sealed record SeedTicket(int Id, int CategoryId, int OwnerId, TicketState State, bool HeldByAdmin);

public sealed record SeedPresence(int AssociateId, string? Status, string? Message);
