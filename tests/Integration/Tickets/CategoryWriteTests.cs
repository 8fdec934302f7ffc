using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>A category PUT whose commit takes several transactions, or is repeated, on Azurite.</summary>
public sealed class CategoryWriteTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Category 10 whose only member (2) is away, so every ticket is held by admin 9 through fallback.</summary>
    private static async Task<TestApi> HeldByAdminAsync(AzuriteFixture azurite, int tickets)
    {
        var api = await TicketTestKit.StartAsync(azurite);
        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        for (var id = 1; id <= tickets; id++)
        {
            await api.PutTicketAsync(id, 10);
        }

        Assert.Equal(tickets, (await api.Get<TicketService>().GetCategoryAsync(10, Ct)).HeldCount);
        return api;
    }

    [Fact]
    public async Task ANewAdminTakesOverEveryHeldTicketWhenAWriterCommitsBetweenTheHandOversTransactions()
    {
        await using var api = await HeldByAdminAsync(azurite, 30);
        var store = api.Get<TicketStore>();
        var interleaved = false;
        store.BeforeTransaction = async (write, index, _) =>
        {
            if (write.CategoryId == 10 && index == 1 && !interleaved)
            {
                interleaved = true;
                await api.PutTicketAsync(31, 10);
            }
        };

        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2], adminId: 8));
        store.BeforeTransaction = null;

        Assert.True(interleaved);
        var category = await api.Get<TicketService>().GetCategoryAsync(10, Ct);
        Assert.Equal((8, 31), (category.AdminId, category.HeldCount));
        Assert.Equal(31, (await store.ReadOpenAsync(10, 8, true, Ct)).Count);
        Assert.Empty(await store.ReadOpenAsync(10, 9, null, Ct));
        await api.AssertConsistentAsync();
    }
}
