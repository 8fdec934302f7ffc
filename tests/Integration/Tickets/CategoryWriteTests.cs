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

    [Fact]
    public async Task ARemovedMemberLeavesTheMembershipIndexEvenWhenTheWriteIsRedoneAfterItsFirstTransaction()
    {
        await using var api = await HeldByAdminAsync(azurite, 30);
        await api.SeedAwayAsync(4);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 4]));
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
        Assert.DoesNotContain(10, await store.CategoriesOfAsync(4, Ct));
        Assert.Equal([2], (await api.Get<TicketService>().GetCategoryAsync(10, Ct)).Members.Select(m => m.AssociateId));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task RepeatingACategoryPutWhoseRebalanceDiedRunsTheRebalance()
    {
        await using var api = await HeldByAdminAsync(azurite, 3);
        var store = api.Get<TicketStore>();
        var commits = 0;
        store.BeforeTransaction = (write, _, _) =>
            write.CategoryId == 10 && ++commits == 2 ? throw new IOException("The process died (simulated).") : Task.CompletedTask;
        var settings = TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3]);
        await Assert.ThrowsAsync<IOException>(() => api.PutCategoryAsync(settings));
        store.BeforeTransaction = null;
        Assert.Equal(3, (await api.Get<TicketService>().GetCategoryAsync(10, Ct)).HeldCount);

        var repeated = await api.PutCategoryAsync(settings);

        Assert.Equal((0, 3), (repeated.HeldCount, repeated.Members.Single(m => m.AssociateId == 3).OpenCount));
        Assert.All(await store.ReadOpenAsync(10, 3, false, Ct), t => Assert.Equal("category", t.Reason));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task ANameAsLongAsTheApiAllowsIsStoredAndOneLongerIsARequestError()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        var longest = new string('n', PresenceFunctions.Http.TicketRequestBinder.MaxNameLength);

        var stored = await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]) with { Name = longest });
        var tooLong = await Assert.ThrowsAsync<TicketRequestException>(() => api.PutCategoryAsync(TicketTestKit.Category(11, AssignmentMethod.FewestOpen, [2]) with { Name = longest + "n" }));

        Assert.Equal(longest, stored.Name);
        Assert.Equal("Name", tooLong.Field);
        Assert.Empty(await api.PartitionAsync(11));
    }
}
