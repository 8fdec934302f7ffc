using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Storage;

/// <summary>A table's first use creates it; a creation that failed in any way is tried again by the next use.</summary>
public sealed class StorageTablesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ATableCreationThatTimedOutIsTriedAgainByTheNextUse()
    {
        var name = "t" + Guid.NewGuid().ToString("N");
        var tables = new StorageTables(
            FirstRequestTimesOut.Client(azurite.ConnectionString, "/Tables"),
            Options.Create(new TableNames { Presence = name }),
            NullLogger<StorageTables>.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tables.PresenceAsync(TestContext.Current.CancellationToken));

        var table = await tables.PresenceAsync(TestContext.Current.CancellationToken);
        Assert.Equal(name, table.Name);
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("p", "r"), cancellationToken: TestContext.Current.CancellationToken);
    }
}
