using Azure;
using Azure.Data.Tables;

namespace PresenceFunctions.Storage;

/// <summary>
/// The only way this code submits a batch. Azure refuses a batch that spans partitions or holds more
/// than 100 operations, while Azurite accepts both, so the rule is enforced here rather than trusted.
/// </summary>
public static class EntityGroupTransaction
{
    public const int MaxOperations = 100;

    public static Task<Response<IReadOnlyList<Response>>> SubmitAsync(
        TableClient table,
        IReadOnlyList<TableTransactionAction> actions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        Validate(actions);
        return table.SubmitTransactionAsync(actions, cancellationToken);
    }

    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > MaxOperations)
        {
            throw new InvalidOperationException($"An entity-group transaction holds 1 to {MaxOperations} operations, not {actions.Count}.");
        }

        var partition = actions[0].Entity.PartitionKey;
        if (actions.Any(a => !string.Equals(a.Entity.PartitionKey, partition, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("An entity-group transaction must stay in one partition.");
        }
    }
}
