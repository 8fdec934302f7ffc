using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>A member's presence is read once, when they join a category; a change that lands meanwhile is not lost.</summary>
public sealed class MemberPresenceTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APresenceChangeCommittedWhileAMemberIsBeingAddedIsAppliedToTheirMemberRow()
    {
        await using var api = await TicketTestKit.StartAsync(azurite, services => services.AddSingleton<IPresenceStore>(sp => new ChangingAfterFirstRead(sp.GetRequiredService<PresenceStore>(), associateId: 3)));

        await api.PutCategoryAsync(TicketTestKit.Category(10, AssignmentMethod.FewestOpen, [2, 3]));
        var ticket = await api.PutTicketAsync(1, 10, ownerId: 3);

        var member = (await api.Get<TicketStore>().ReadCategoryAsync(10, Ct))!.Member(3)!;
        Assert.Equal(("StatusNotAvailable", 1L), (member.Status, member.PresenceVersion));
        Assert.Equal(2, ticket.OwnerId); // 3 is away, as the presence store says
        await api.AssertConsistentAsync();
    }

    /// <summary>The real store; the first read of one associate is followed by a change (no event reaches anyone), as if another request got in between.</summary>
    private sealed class ChangingAfterFirstRead(PresenceStore store, int associateId) : IPresenceStore
    {
        private int reads;

        public async Task<PresenceState> ReadAsync(int associate, CancellationToken cancellationToken)
        {
            var state = await store.ReadAsync(associate, cancellationToken);
            if (associate == associateId && Interlocked.Increment(ref reads) == 1)
            {
                await store.ChangeAsync(associate, new UserPresenceStatus(UserStatus.StatusNotAvailable, null), 1, null, cancellationToken);
            }

            return state;
        }

        public Task<PresenceCommit> ChangeAsync(int associate, UserPresenceStatus requested, int changedBy, string? traceParent, CancellationToken cancellationToken) =>
            store.ChangeAsync(associate, requested, changedBy, traceParent, cancellationToken);
    }
}
