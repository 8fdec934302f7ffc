using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>Tickets the admin holds through fallback arriving again (reopened, moved), on Azurite.</summary>
public sealed class HeldTicketTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReopenedHeldTicketIsHeldAgainAndGoesToTheMemberWhoComesBack()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        await api.PutTicketAsync(1, 10);
        await api.PutTicketAsync(1, null, state: TicketState.Closed);

        var reopened = await api.PutTicketAsync(1, null, state: TicketState.Open);
        await api.SetPresenceAsync(2, "StatusNormal");

        Assert.Equal((9, true), (reopened.OwnerId, reopened.HeldByAdmin));
        Assert.Equal((2, false), await OwnerAsync(api, 1));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task AHeldTicketMovedToAnotherCategoryIsAssignedThereByItsMethod()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));
        await api.PutCategoryAsync(TicketTestKit.Category(20, AssignmentMethod.FewestOpen, [3], adminId: 8));
        var held = await api.PutTicketAsync(1, 10);

        var moved = await api.PutTicketAsync(1, 20);

        Assert.Equal((9, true), (held.OwnerId, held.HeldByAdmin));
        Assert.Equal((20, 3, false, "category"), (moved.CategoryId, moved.OwnerId, moved.HeldByAdmin, moved.Reason));
        await api.AssertConsistentAsync();
    }

    private static async Task<(int, bool)> OwnerAsync(TestApi api, int ticketId)
    {
        var ticket = await api.Get<TicketService>().GetTicketAsync(ticketId, Ct);
        return (ticket.OwnerId, ticket.HeldByAdmin);
    }
}
