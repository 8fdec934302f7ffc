namespace PresenceFunctions.Tickets;

/// <summary>
/// What the ticket use cases need of ticket storage (Table Storage implements it in Storage/TicketStore). Every read
/// is a point read or a key range: nothing here scans a category's tickets.
/// </summary>
public interface ITicketStore
{
    /// <summary>The categories the associate is a member of (their membership index).</summary>
    Task<IReadOnlyList<int>> CategoriesOfAsync(int associateId, CancellationToken cancellationToken);

    /// <summary>The category row and its member rows (one point read, one range query); null when there is no such category.</summary>
    Task<CategoryView?> ReadCategoryAsync(int categoryId, CancellationToken cancellationToken);

    /// <summary>Whether the category exists (one point read; no member rows).</summary>
    Task<bool> CategoryExistsAsync(int categoryId, CancellationToken cancellationToken);

    /// <summary>One owner's open tickets from the index (owner 0: the backlog); <paramref name="heldByAdmin"/> filters on the fallback mark.</summary>
    Task<IReadOnlyList<TicketDetails>> ReadOpenAsync(int categoryId, int ownerId, bool? heldByAdmin, CancellationToken cancellationToken);

    /// <summary>A page of one owner's open tickets from the index, after <paramref name="afterTicketId"/>, by ticket id.</summary>
    Task<IReadOnlyList<TicketDetails>> ReadOpenPageAsync(int categoryId, int ownerId, int afterTicketId, int take, CancellationToken cancellationToken);

    /// <summary>A page of a category's tickets (open and closed) after <paramref name="afterTicketId"/>, by ticket id.</summary>
    Task<IReadOnlyList<TicketDetails>> ReadTicketPageAsync(int categoryId, int? ownerId, TicketState? state, int afterTicketId, int take, CancellationToken cancellationToken);

    Task<TicketDetails?> ReadTicketAsync(int categoryId, int ticketId, CancellationToken cancellationToken);

    /// <summary>Writes a change in entity-group transactions; a writer that moved first is a Concurrency.ConcurrencyConflictException.</summary>
    Task<PartitionCommit> CommitAsync(PartitionWrite write, CancellationToken cancellationToken);

    Task<TicketLocation?> ReadLocationAsync(int ticketId, CancellationToken cancellationToken);

    /// <summary>Inserts the locator (its Version null) or replaces it If-Match; a lost race is a ConcurrencyConflictException.</summary>
    Task<TicketLocation> WriteLocationAsync(TicketLocation location, CancellationToken cancellationToken);

    /// <summary>Lists the category in the registry the ticket outbox relay walks (idempotent).</summary>
    Task RegisterCategoryAsync(int categoryId, CancellationToken cancellationToken);

    /// <summary>Adds or removes membership index rows (idempotent).</summary>
    Task SetMembershipAsync(int categoryId, IReadOnlyCollection<int> added, IReadOnlyCollection<int> removed, CancellationToken cancellationToken);

    /// <summary>Runs before a moved ticket leaves its previous category (step 3 of a move): a seam for crash tests, null otherwise.</summary>
    Func<int, CancellationToken, Task>? BeforeLeavingPreviousCategory { get; }
}
