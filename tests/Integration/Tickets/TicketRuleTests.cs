using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>Each assignment rule through TicketService, on Azurite; the partition's counts and index are checked after each.</summary>
public sealed class TicketRuleTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnArrivingUnassignedTicketGoesToAPresentMemberByTheMethodAndAnnouncesIt()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3]));

        var first = await api.PutTicketAsync(1, 10);
        var second = await api.PutTicketAsync(2, 10);

        Assert.Equal((2, "arrival", 1L, "request-test"), (first.OwnerId, first.Reason, first.AssignmentVersion, first.CausedBy));
        Assert.Equal(3, second.OwnerId); // fewest open: 3 had none
        var events = (await api.OutboxAsync(10)).OrderBy(e => e.TicketId).ToList();
        Assert.Equal([(1, 2, 0, "arrival", 1L), (2, 3, 0, "arrival", 1L)], events.Select(e => (e.TicketId, e.OwnerId, e.PreviousOwnerId, e.Reason, e.AssignmentVersion)));
        Assert.Equal(first, await api.Get<TicketService>().GetTicketAsync(1, Ct));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task AnArrivingTicketOfAnAwayMemberIsReassignedWhileAPresentOwnerOrANonMemberIsKept()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3]));

        var ofAway = await api.PutTicketAsync(1, 10, ownerId: 2);
        var ofPresent = await api.PutTicketAsync(2, 10, ownerId: 3);
        var ofOutsider = await api.PutTicketAsync(3, 10, ownerId: 7);

        Assert.Equal((3, "arrival"), (ofAway.OwnerId, ofAway.Reason));
        Assert.Equal(3, ofPresent.OwnerId);
        Assert.Equal(7, ofOutsider.OwnerId);
        var category = await api.Get<TicketService>().GetCategoryAsync(10, Ct);
        Assert.Equal([(2, false, 0), (3, true, 2)], category.Members.Select(m => (m.AssociateId, m.Present, m.OpenCount)));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task ACategoryThatDoesNotAssignLeavesEveryArrivalAsItCame()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.DoNotAssign, [2, 3]));

        Assert.Equal(0, (await api.PutTicketAsync(1, 10)).OwnerId);
        Assert.Equal(2, (await api.PutTicketAsync(2, 10, ownerId: 2)).OwnerId);
        Assert.Equal(1, (await api.Get<TicketService>().GetCategoryAsync(10, Ct)).BacklogCount);
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task WithNobodyPresentAnArrivalGoesToTheAdminWhenTheCategoryFallsBackElseToTheBacklog()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.Even, [2], adminId: 9, fallbackToAdmin: true));
        await api.PutCategoryAsync(TicketTestKit.Category(20, AssignmentMethod.Even, [2], adminId: 9, fallbackToAdmin: false));

        var held = await api.PutTicketAsync(1, 10);
        var waiting = await api.PutTicketAsync(2, 20);
        var takenBack = await api.PutTicketAsync(3, 20, ownerId: 2);

        Assert.Equal((9, true, "fallback"), (held.OwnerId, held.HeldByAdmin, held.Reason));
        Assert.Equal((0, false), (waiting.OwnerId, waiting.HeldByAdmin));
        Assert.Equal((0, "fallback"), (takenBack.OwnerId, takenBack.Reason));
        Assert.Equal((0, 1), ((await api.Get<TicketService>().GetCategoryAsync(10, Ct)).BacklogCount, (await api.Get<TicketService>().GetCategoryAsync(10, Ct)).HeldCount));
        Assert.Equal(2, (await api.Get<TicketService>().GetCategoryAsync(20, Ct)).BacklogCount);
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task ANewMessageMovesATicketOnlyWhenItsOwnerIsAwayAndTheCategoryReassignsOnNewMessage()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        var service = api.Get<TicketService>();
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3], rebalanceOnPresence: false));
        await api.PutCategoryAsync(TicketTestKit.Category(20, AssignmentMethod.FewestOpen, [2, 3], rebalanceOnPresence: false, reassignOnNewMessage: false));
        await api.PutTicketAsync(1, 10, ownerId: 2);
        await api.PutTicketAsync(2, 20, ownerId: 2);

        var whilePresent = await service.AddMessageAsync(TicketTestKit.Admin, 1, "request-m1", null, Ct);
        await api.SetPresenceAsync(2, "StatusNotAvailable"); // applied to the member rows; nothing moves on presence here
        Assert.Equal(2, (await service.GetTicketAsync(1, Ct)).OwnerId);
        var moved = await service.AddMessageAsync(TicketTestKit.Admin, 1, "request-m2", null, Ct);
        var kept = await service.AddMessageAsync(TicketTestKit.Admin, 2, "request-m3", null, Ct);

        Assert.Equal((2, 1L), (whilePresent.OwnerId, whilePresent.AssignmentVersion));
        Assert.Equal((3, "message", "request-m2", 2L), (moved.OwnerId, moved.Reason, moved.CausedBy, moved.AssignmentVersion));
        Assert.Equal((2, 1L), (kept.OwnerId, kept.AssignmentVersion));
        Assert.Contains(await api.OutboxAsync(10), e => e is { TicketId: 1, OwnerId: 3, PreviousOwnerId: 2, Reason: "message", AssignmentVersion: 2 });
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task AMemberGoingAwayHandsTheirTicketsOnAndComingBackTakesTheBacklogAndWhatTheAdminHeld()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        var service = api.Get<TicketService>();
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.Even, [2, 3], adminId: 9, fallbackToAdmin: true));
        await api.PutTicketAsync(1, 10, ownerId: 2);
        await api.PutTicketAsync(2, 10, ownerId: 3);

        await api.SetPresenceAsync(2, "StatusNotAvailable");
        var handedOn = await service.GetTicketAsync(1, Ct);
        await api.SetPresenceAsync(3, "StatusNotAvailable");
        var held = await service.GetTicketAsync(1, Ct);
        await api.SetPresenceAsync(2, "StatusNormal");
        var back = await service.ListCategoryTicketsAsync(10, null, TicketState.Open, 10, 0, null, Ct);

        Assert.Equal((3, "presence"), (handedOn.OwnerId, handedOn.Reason));
        Assert.StartsWith("presence-2-", handedOn.CausedBy, StringComparison.Ordinal);
        Assert.Equal((9, true, "fallback"), (held.OwnerId, held.HeldByAdmin, held.Reason));
        Assert.All(back.Tickets, t => Assert.Equal((2, false, "presence"), (t.OwnerId, t.HeldByAdmin, t.Reason)));
        Assert.Equal(2, back.Tickets.Count);
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task ClosingATicketTakesItOutOfTheIndexAndTheCountWithoutAnEventAndReopeningAssignsItAgain()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        var service = api.Get<TicketService>();
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3]));
        await api.PutTicketAsync(1, 10, ownerId: 2);

        var closed = await api.PutTicketAsync(1, null, state: TicketState.Closed);

        Assert.Equal((TicketState.Closed, 2, 1L), (closed.State, closed.OwnerId, closed.AssignmentVersion));
        Assert.Empty(await api.PartitionAsync(10, TicketRows.OpenPrefix));
        Assert.Equal(0, (await service.GetCategoryAsync(10, Ct)).Members.Single(m => m.AssociateId == 2).OpenCount);
        Assert.Single(await api.OutboxAsync(10));
        Assert.Equal([1], (await service.ListCategoryTicketsAsync(10, null, TicketState.Closed, 10, 0, null, Ct)).Tickets.Select(t => t.TicketId));
        Assert.Empty((await service.ListUserTicketsAsync(2, 10, 0, null, Ct)).Tickets);
        await api.AssertConsistentAsync();

        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [3])); // 2 leaves; 3 is the one present
        var reopened = await api.PutTicketAsync(1, null, state: TicketState.Open);
        Assert.Equal((TicketState.Open, 2), (reopened.State, reopened.OwnerId)); // 2 is no member now: kept
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task APutThatChangesNothingWritesNothing()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TicketTestKit.StartAsync(azurite, recorder.Install);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3]));
        var first = await api.PutTicketAsync(1, 10, ownerId: 2);
        recorder.Clear();

        var again = await api.PutTicketAsync(1, 10, ownerId: 2);
        var sameCategory = await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3]));

        Assert.Equal(first, again);
        Assert.Empty(recorder.Transactions);
        Assert.All(recorder.Requests, r => Assert.StartsWith("GET ", r, StringComparison.Ordinal));
        Assert.Equal(1, sameCategory.Members.Single(m => m.AssociateId == 2).OpenCount);
        Assert.Single(await api.OutboxAsync(10));
    }

    [Fact]
    public async Task RepeatingAPutThatAskedForNoOwnerKeepsTheOwnerItWasGivenAndWritesNothing()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TicketTestKit.StartAsync(azurite, recorder.Install);
        await api.SeedAwayAsync(4);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.Even, [2, 3, 4]));
        var first = await api.PutTicketAsync(1, 10, ownerId: 0);
        recorder.Clear();

        var again = await api.PutTicketAsync(1, 10, ownerId: 0);
        var toAway = await api.PutTicketAsync(1, 10, ownerId: 4);

        Assert.Equal(first, again);
        Assert.Equal(first, toAway);
        Assert.Empty(recorder.Transactions);
        Assert.Single(await api.OutboxAsync(10));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task ChangingACategorysMembersRebalancesItOnceWithReasonCategory()
    {
        var recorder = new StorageRequestRecorder();
        await using var api = await TicketTestKit.StartAsync(azurite, recorder.Install);
        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.Even, [2], fallbackToAdmin: false));
        foreach (var id in Enumerable.Range(1, 5))
        {
            await api.PutTicketAsync(id, 10);
        }

        recorder.Clear();
        var changed = await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.Even, [2, 3], fallbackToAdmin: false));

        Assert.Equal(0, changed.BacklogCount);
        Assert.Equal(5, changed.Members.Single(m => m.AssociateId == 3).OpenCount);
        var tickets = (await api.Get<TicketService>().ListCategoryTicketsAsync(10, 3, TicketState.Open, 10, 0, null, Ct)).Tickets;
        Assert.All(tickets, t => Assert.Equal(("category", "request-test", 2L), (t.Reason, t.CausedBy, t.AssignmentVersion)));

        // One transaction for the settings and the new member, one for the pass (the backlog read once).
        Assert.Equal(2, recorder.Transactions.Count);
        Assert.Single(recorder.Queries, q => q.Contains("open-0000000000-", StringComparison.Ordinal));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task ChangingTheAdminHandsWhatTheOldAdminHeldToTheNewOneSoSomeoneComingBackStillGetsIt()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        await api.SeedAwayAsync(2);
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.Even, [2], adminId: 9));
        await api.PutTicketAsync(1, 10);

        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.Even, [2], adminId: 8));
        var handedOver = await api.Get<TicketService>().GetTicketAsync(1, Ct);
        await api.AssertConsistentAsync();
        await api.SetPresenceAsync(2, "StatusNormal");

        Assert.Equal((8, true, "fallback", 2L), (handedOver.OwnerId, handedOver.HeldByAdmin, handedOver.Reason, handedOver.AssignmentVersion));
        Assert.Equal((2, false), ((await api.Get<TicketService>().GetTicketAsync(1, Ct)).OwnerId, (await api.Get<TicketService>().GetTicketAsync(1, Ct)).HeldByAdmin));
        await api.AssertConsistentAsync();
    }

    [Fact]
    public async Task BadInputIsARequestErrorThatWritesNothing()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        var service = api.Get<TicketService>();
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2]));

        Assert.Equal("CategoryId", (await Assert.ThrowsAsync<TicketRequestException>(() => api.PutTicketAsync(1, 99))).Field);
        Assert.Equal("CategoryId", (await Assert.ThrowsAsync<TicketRequestException>(() => api.PutTicketAsync(1, null))).Field);
        Assert.Equal("OwnerId", (await Assert.ThrowsAsync<TicketRequestException>(() => api.PutTicketAsync(1, 10, ownerId: -1))).Field);
        Assert.Equal("Members", (await Assert.ThrowsAsync<TicketRequestException>(() => api.PutCategoryAsync(TicketTestKit.Category(11, AssignmentMethod.Even, [2, 2])))).Field);
        Assert.Equal("continuationToken", (await Assert.ThrowsAsync<TicketRequestException>(() => service.ListCategoryTicketsAsync(10, null, null, 10, 0, "bm90IGEgdG9rZW4", Ct))).Field);
        Assert.Equal("$top", (await Assert.ThrowsAsync<TicketRequestException>(() => service.ListCategoryTicketsAsync(10, null, null, 0, 0, null, Ct))).Field);
        await Assert.ThrowsAsync<TicketNotFoundException>(() => service.GetTicketAsync(1, Ct));
        await Assert.ThrowsAsync<TicketNotFoundException>(() => service.GetCategoryAsync(11, Ct));
        await Assert.ThrowsAsync<ForbiddenChangeException>(() => service.PutTicketAsync(new Actor(2, IsAdministrator: false), new TicketChange(1, 10, null, null), "request-x", null, Ct));

        Assert.Null(await api.Get<TicketStore>().ReadLocationAsync(1, Ct));
        Assert.Empty(await api.PartitionAsync(10, TicketRows.TicketPrefix));
        Assert.Null(await api.Get<TicketStore>().ReadCategoryAsync(11, Ct));
    }

    [Fact]
    public async Task ListingsPageByTicketIdWithATokenThatOnlyItsOwnQueryAccepts()
    {
        await using var api = await TicketTestKit.StartAsync(azurite);
        var service = api.Get<TicketService>();
        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.DoNotAssign, [2]));
        await api.PutCategoryAsync(TicketTestKit.Category(20, AssignmentMethod.DoNotAssign, [2]));
        foreach (var id in Enumerable.Range(1, 25))
        {
            await api.PutTicketAsync(id, id % 2 == 0 ? 10 : 20, ownerId: 2);
        }

        var seen = new List<int>();
        string? token = null;
        do
        {
            var page = await service.ListUserTicketsAsync(2, 10, 0, token, Ct);
            seen.AddRange(page.Tickets.Select(t => t.TicketId));
            token = page.ContinuationToken;
        }
        while (token is not null);
        var first = await service.ListCategoryTicketsAsync(10, 2, TicketState.Open, 5, 2, null, Ct);

        Assert.Equal(Enumerable.Range(1, 25), seen);
        Assert.Equal([6, 8, 10, 12, 14], first.Tickets.Select(t => t.TicketId));
        Assert.Equal([16, 18, 20, 22, 24], (await service.ListCategoryTicketsAsync(10, 2, TicketState.Open, 5, 0, first.ContinuationToken, Ct)).Tickets.Select(t => t.TicketId));
        await Assert.ThrowsAsync<TicketRequestException>(() => service.ListCategoryTicketsAsync(10, null, null, 5, 0, first.ContinuationToken, Ct));
        await Assert.ThrowsAsync<TicketRequestException>(() => service.ListUserTicketsAsync(2, 5, 0, first.ContinuationToken, Ct));
    }
}
