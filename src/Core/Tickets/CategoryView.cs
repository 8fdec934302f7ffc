namespace PresenceFunctions.Tickets;

/// <summary>
/// A category partition's head as a use case read it: settings, counts and members. <paramref name="Version"/> (the
/// category row's ETag, opaque here) guards every write made on this view: a writer that moved first makes the use case redo.
/// </summary>
/// <param name="BacklogCount">Open tickets with no owner.</param>
/// <param name="HeldCount">Open tickets the admin holds through fallback.</param>
public sealed record CategoryView(Category Category, int BacklogCount, int HeldCount, IReadOnlyList<StoredMember> Members, string Version)
{
    public IReadOnlyList<MemberLoad> Loads => [.. Members.Select(m => m.Load)];

    public StoredMember? Member(int associateId) => Members.FirstOrDefault(m => m.AssociateId == associateId);
}

/// <summary>A member row: weight, presence as last applied (status name and the presence version it came from), open count.</summary>
public sealed record StoredMember(int AssociateId, int Weight, string Status, long PresenceVersion, int OpenCount)
{
    public const string PresentStatus = "StatusNormal";

    public bool Present => string.Equals(Status, PresentStatus, StringComparison.Ordinal);

    public MemberLoad Load => new(AssociateId, Weight, Present, OpenCount);
}

/// <summary>
/// One ticket's change in a category partition. <paramref name="Before"/> null: it enters the category; <paramref name="After"/>
/// null: it leaves it. <paramref name="Event"/>: the assignment event announcing it, written in the same transaction.
/// </summary>
public sealed record TicketWrite(TicketDetails? Before, TicketDetails? After, TicketAssignedData? Event);

/// <summary>
/// Everything one use case changes in a category partition. The store keeps the index and the counts in step with the
/// ticket writes, and writes them with the category row guarded by <see cref="Current"/>'s version.
/// </summary>
/// <param name="Current">The view the change was planned on; null when the category is being created.</param>
/// <param name="Settings">New settings and cursor for the category row; null keeps them.</param>
/// <param name="MemberUpserts">Member rows to write as given (their OpenCount included).</param>
/// <param name="MemberDeletes">Members to remove.</param>
public sealed record PartitionWrite(
    int CategoryId,
    CategoryView? Current,
    Category? Settings,
    IReadOnlyList<StoredMember> MemberUpserts,
    IReadOnlyList<int> MemberDeletes,
    IReadOnlyList<TicketWrite> Tickets,
    string? TraceParent)
{
    public static PartitionWrite OfTickets(CategoryView current, IReadOnlyList<TicketWrite> tickets, string? traceParent, Category? settings = null) =>
        new(current.Category.Id, current, settings, [], [], tickets, traceParent);
}

/// <summary>What a commit wrote: the partition's new version, the events it committed, and how many transactions it took.</summary>
public sealed record PartitionCommit(string Version, IReadOnlyList<TicketOutboxEvent> Events, int Transactions);

/// <summary>
/// Where a ticket lives. While a category move is in flight, <paramref name="PreviousCategoryId"/> is set and the
/// requested owner and state travel with it, so any use case can finish the move.
/// </summary>
/// <param name="CausedBy">The request that asked for the move, so whoever finishes it announces it with that cause.</param>
public sealed record TicketLocation(int TicketId, int CategoryId, int? PreviousCategoryId, int? RequestedOwnerId, TicketState? RequestedState, string? CausedBy, string? Version);
