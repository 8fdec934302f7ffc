using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>
/// Layout of the Tickets table. Each category is one partition, <c>category-{id}</c>, so that every change
/// to it is one entity-group transaction. It holds:
/// <list type="bullet">
/// <item><c>category</c>: settings, the round-robin cursor, backlog and fallback counts; its ETag versions the partition.</item>
/// <item><c>member-{associateId}</c>: weight, presence as last applied (status and the presence version it came from), open count.</item>
/// <item><c>ticket-{id}</c>: the ticket, open or closed.</item>
/// <item><c>open-{ownerId}-{ticketId}</c>: the index of open tickets by owner (owner 0 = the unassigned backlog).</item>
/// <item><c>outbox-{ticketId}-{assignmentVersion}</c>: assignment events not yet published.</item>
/// </list>
/// Partition <c>member-{associateId}</c> indexes the categories an associate belongs to; partition
/// <c>ticket-{id}</c> locates a ticket's category; partition <c>categories</c> lists every category (for the relay).
/// Ids are zero-padded so rows sort by number.
/// </summary>
public static class TicketRows
{
    public const string CategoryRow = "category";
    public const string MemberPrefix = "member-";
    public const string TicketPrefix = "ticket-";
    public const string OpenPrefix = "open-";
    public const string OutboxPrefix = "outbox-";
    public const string LocatorRow = "locator";
    public const string CategoriesPartition = "categories";

    /// <summary>Just after every row of a prefix ('-' + 1), for range queries.</summary>
    public static string End(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix[..^1] + ".";
    }

    public static string CategoryPartition(int categoryId) => "category-" + Key(categoryId);

    public static string MembershipPartition(int associateId) => MemberPrefix + Key(associateId);

    public static string LocatorPartition(int ticketId) => TicketPrefix + Key(ticketId);

    public static string Member(int associateId) => MemberPrefix + Key(associateId);

    public static string Ticket(int ticketId) => TicketPrefix + Key(ticketId);

    /// <summary>The prefix of one owner's open tickets (0: the backlog).</summary>
    public static string OpenOf(int ownerId) => OpenPrefix + Key(ownerId) + "-";

    public static string Open(int ownerId, int ticketId) => OpenOf(ownerId) + Key(ticketId);

    public static string Outbox(int ticketId, long assignmentVersion) =>
        OutboxPrefix + Key(ticketId) + "-" + assignmentVersion.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Zero-padded, so rows sort by number.</summary>
    public static string Key(int id) => id.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class CategoryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = TicketRows.CategoryRow;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int CategoryId { get; set; }

    public string Name { get; set; } = "";

    public string Method { get; set; } = nameof(AssignmentMethod.FewestOpen);

    public int AdminId { get; set; }

    public bool FallbackToAdmin { get; set; }

    public bool RebalanceOnPresence { get; set; } = true;

    public bool ReassignOnNewMessage { get; set; } = true;

    public int Cursor { get; set; }

    public int BacklogCount { get; set; }

    public int HeldCount { get; set; }
}

public sealed class CategoryMemberEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int AssociateId { get; set; }

    public int Weight { get; set; } = 1;

    /// <summary>"StatusNormal" is present; anything else is away.</summary>
    public string Status { get; set; } = StoredMember.PresentStatus;

    /// <summary>The presence version the status was applied from: an event with a version at or below it never overwrites it.</summary>
    public long PresenceVersion { get; set; }

    /// <summary>Open tickets they own in the category, not counting what they hold as admin through fallback.</summary>
    public int OpenCount { get; set; }
}

/// <summary>A row of the membership index: partition <c>member-{associateId}</c>, row = category id.</summary>
public sealed class MembershipEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int CategoryId { get; set; }
}

/// <summary>A ticket row (<c>ticket-{id}</c>), and the same fields on its open-index row (<c>open-{ownerId}-{id}</c>), so an index range read needs no ticket row.</summary>
public sealed class ServiceTicketEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int TicketId { get; set; }

    public int CategoryId { get; set; }

    public int OwnerId { get; set; }

    public string State { get; set; } = nameof(TicketState.Open);

    public bool HeldByAdmin { get; set; }

    public long AssignmentVersion { get; set; }

    public string? Reason { get; set; }

    public string? CausedBy { get; set; }

    public DateTimeOffset? AssignedAt { get; set; }

    public static ServiceTicketEntity From(string partition, string rowKey, TicketDetails ticket) => new()
    {
        PartitionKey = partition,
        RowKey = rowKey,
        TicketId = ticket.TicketId,
        CategoryId = ticket.CategoryId,
        OwnerId = ticket.OwnerId,
        State = ticket.State.ToString(),
        HeldByAdmin = ticket.HeldByAdmin,
        AssignmentVersion = ticket.AssignmentVersion,
        Reason = ticket.Reason,
        CausedBy = ticket.CausedBy,
        AssignedAt = ticket.AssignedAt,
    };

    public TicketDetails ToDetails() => new(
        TicketId,
        CategoryId,
        OwnerId,
        Enum.TryParse<TicketState>(State, ignoreCase: true, out var state) ? state : TicketState.Open,
        HeldByAdmin,
        AssignmentVersion,
        Reason,
        CausedBy,
        AssignedAt);
}

/// <summary>Partition <c>ticket-{id}</c>, row <c>locator</c>: the ticket's category, and a category move in flight.</summary>
public sealed class TicketLocatorEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = TicketRows.LocatorRow;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int TicketId { get; set; }

    public int CategoryId { get; set; }

    public int? PreviousCategoryId { get; set; }

    public int? RequestedOwnerId { get; set; }

    public string? RequestedState { get; set; }

    public string? CausedBy { get; set; }
}

/// <summary>Partition <c>categories</c>, row = category id: every category, for the ticket outbox relay.</summary>
public sealed class CategoryRegistryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = TicketRows.CategoriesPartition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int CategoryId { get; set; }
}
