using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Storage;

/// <summary>Table clients that create their table on first use, once per process.</summary>
public sealed class StorageTables(TableServiceClient service, IOptions<TableNames> names)
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
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // A failed creation (storage down) must not stick: the next request tries again.
            tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var table = service.GetTableClient(name);
        await table.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
        return table;
    }
}
