using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>
/// Layout of the Tickets table. Each category is one partition, <c>category-{id}</c>, holding its
/// <c>category</c> row, a <c>member-{associateId}</c> row per member and a <c>ticket-{id}</c> row per
/// ticket, so a rebalance pass reads one partition and writes entity-group transactions in it. Partition
/// <c>member-{associateId}</c> indexes the categories an associate belongs to.
/// </summary>
public static class TicketRows
{
    public const string CategoryRow = "category";
    public const string MemberPrefix = "member-";
    public const string TicketPrefix = "ticket-";

    public static string CategoryPartition(int categoryId) => "category-" + Key(categoryId);

    public static string MembershipPartition(int associateId) => MemberPrefix + Key(associateId);

    public static string Member(int associateId) => MemberPrefix + Key(associateId);

    public static string Ticket(int ticketId) => TicketPrefix + Key(ticketId);

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

    public int Cursor { get; set; }
}

public sealed class CategoryMemberEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int AssociateId { get; set; }

    public int Weight { get; set; } = 1;
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
}
