using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Storage;

/// <summary>
/// Table clients that create their table on first use, once per process, and again when storage comes
/// back without it (Azurite restarted empty, an operator deleted the table): every table operation goes
/// through <see cref="RunAsync{T}"/>, which recreates a missing table and retries the operation once.
/// </summary>
public sealed partial class StorageTables(TableServiceClient service, IOptions<TableNames> names, ILogger<StorageTables> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new(StringComparer.OrdinalIgnoreCase);

    public TableNames Names => names.Value;

    public Task<TableClient> PresenceAsync(CancellationToken cancellationToken) => GetAsync(names.Value.Presence, cancellationToken);

    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value is { IsCompleted: true, IsCompletedSuccessfully: false })
        {
            // A failed creation (storage down, or the SDK's timeout, which ends the task canceled rather than
            // faulted) must not stick: the next request tries again.
            tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, lazy));
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on the table; when the table turns out to be missing, creates it
    /// again and runs the operation once more. The operation must be safe to run twice (every caller's is:
    /// a missing table means its first run wrote nothing there). A table still missing after that surfaces
    /// as <see cref="StorageFailures.IsUnavailable"/>, never as a bug.
    /// </summary>
    public async Task<T> RunAsync<T>(string name, Func<TableClient, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var table = await GetAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation(table).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsTableNotFound(e))
        {
            LogRecreating(logger, name);
            Forget(name);
            table = await GetAsync(name, cancellationToken).ConfigureAwait(false);
            return await operation(table).ConfigureAwait(false);
        }
    }

    public Task RunAsync(string name, Func<TableClient, Task> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync(
            name,
            async table =>
            {
                await operation(table).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// 404 <c>TableNotFound</c>, from a single operation or an entity-group transaction
    /// (<see cref="TableTransactionFailedException"/> is a <see cref="RequestFailedException"/>). Point reads
    /// (<c>GetEntityIfExists</c>) and deletes do not throw on a missing table: they answer "no such row".
    /// </summary>
    public static bool IsTableNotFound(RequestFailedException exception) =>
        exception is { Status: 404, ErrorCode: "TableNotFound" };

    /// <summary>Drops what this process knew about the table, so the next use creates it again.</summary>
    private void Forget(string name) => tables.TryRemove(name, out _);

    private async Task<TableClient> CreateAsync(string name)
    {
        var table = service.GetTableClient(name);
        await table.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
        return table;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Table {Table} is missing (storage came back empty, or it was deleted); creating it again and retrying once")]
    private static partial void LogRecreating(ILogger logger, string table);
}
