using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Tests.Unit.Storage;

public sealed class PresenceTransactionTests
{
    private static readonly PresenceState Current = new(7, UserStatus.StatusNormal, "in", 3, DateTimeOffset.UnixEpoch, 7);
    private static readonly PresenceState Next = Current with { Status = UserStatus.StatusNotAvailable, Message = "out", Version = 4 };

    [Fact]
    public void AnEventTakingOverASentRowIsMergedIfMatchWithEveryPropertyWrittenSoNothingOfTheEventBeforeIsLeft()
    {
        // A merge keeps whatever it is not sent, and a null property is not sent: none may be null, now or when one is added.
        var outbox = PresenceTransaction.EventOf(Current, Next) with { RowKey = PresenceRows.Outbox(3), TraceParent = null };

        var action = PresenceTransaction.Actions(new PresenceSnapshot(Current, new ETag("W/\"status\"")), Next, outbox, takenOverTag: "W/\"sent\"")[2];

        Assert.Equal((TableTransactionActionType.UpdateMerge, new ETag("W/\"sent\""), PresenceRows.Outbox(3)), (action.ActionType, action.ETag, action.Entity.RowKey));
        var written = typeof(OutboxEntity).GetProperties().Where(p => p.Name is not (nameof(ITableEntity.Timestamp) or nameof(ITableEntity.ETag)));
        Assert.All(written, property => Assert.NotNull(property.GetValue(action.Entity)));
        Assert.Null(((OutboxEntity)action.Entity).ToEvent().TraceParent);
    }

    [Fact]
    public void AnEventWithoutASentRowToTakeOverIsAddedUnderItsOwnKey()
    {
        var outbox = PresenceTransaction.EventOf(Current, Next);

        var action = PresenceTransaction.Actions(new PresenceSnapshot(Current, new ETag("W/\"status\"")), Next, outbox)[2];

        Assert.Equal((TableTransactionActionType.Add, PresenceRows.Outbox(4)), (action.ActionType, action.Entity.RowKey));
        Assert.Null(((OutboxEntity)action.Entity).TraceParent);
    }
}
