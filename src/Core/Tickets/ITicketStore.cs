namespace PresenceFunctions.Tickets;

/// <summary>What a rebalance pass needs of ticket storage (Table Storage implements it in Storage/TicketStore).</summary>
public interface ITicketStore
{
    /// <summary>The categories the associate is a member of.</summary>
    Task<IReadOnlyList<int>> CategoriesOfAsync(int associateId, CancellationToken cancellationToken);

    /// <summary>A category's row, members and open tickets; null when there is no such category.</summary>
    Task<CategorySnapshot?> ReadCategoryAsync(int categoryId, CancellationToken cancellationToken);

    /// <summary>Writes a plan guarded by the snapshot's versions; a writer that moved first is a ConcurrencyConflictException.</summary>
    /// <returns>How many transactions it took.</returns>
    Task<int> ApplyAsync(CategorySnapshot snapshot, RebalancePlan plan, CancellationToken cancellationToken);
}
