using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Storage;

/// <summary>
/// A <see cref="PartitionWrite"/> as entity-group transactions. Each chunk leaves the partition consistent on its own:
/// a ticket's row, index rows and outbox row travel together with the counts they change (category row and member
/// rows, written as absolute values; the category row's If-Match makes that safe). The category row is always the
/// first operation, so its ETag in the answer chains to the next chunk.
/// </summary>
public sealed class TicketTransactions
{
    private readonly string partition;
    private readonly Category category;
    private readonly Category earlier;
    private readonly Dictionary<int, StoredMember> members;
    private readonly List<Chunk> chunks = [];
    private readonly List<TicketOutboxEvent> events = [];
    private int backlog;
    private int held;
    private Chunk current;

    private TicketTransactions(PartitionWrite write)
    {
        partition = TicketRows.CategoryPartition(write.CategoryId);
        category = write.Settings ?? write.Current?.Category ?? throw new ArgumentException("A new category needs its settings.", nameof(write));

        // New settings go with the last transaction only: a write that fails between transactions leaves the old
        // settings stored, so the use case's retry still sees what is left to do (a new admin's hand-over, say).
        earlier = write.Current?.Category ?? category;
        members = (write.Current?.Members ?? []).ToDictionary(m => m.AssociateId);
        backlog = write.Current?.BacklogCount ?? 0;
        held = write.Current?.HeldCount ?? 0;
        current = new Chunk(this);
    }

    public IReadOnlyList<Chunk> Chunks => chunks;

    public IReadOnlyList<TicketOutboxEvent> Events => events;

    public static TicketTransactions Build(PartitionWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var plan = new TicketTransactions(write);
        foreach (var id in write.MemberDeletes.Distinct())
        {
            plan.Fit(1);
            plan.members.Remove(id);
            plan.current.Operations.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(plan.partition, TicketRows.Member(id)), ETag.All));
        }

        foreach (var member in write.MemberUpserts)
        {
            plan.Fit(1);
            plan.members[member.AssociateId] = member;
            plan.current.FullMembers.Add(member.AssociateId);
        }

        foreach (var ticket in write.Tickets)
        {
            plan.Add(ticket, write.TraceParent);
        }

        plan.Close(force: true);
        plan.chunks[^1].Settings = plan.category;
        return plan;
    }

    private void Add(TicketWrite write, string? traceParent)
    {
        var before = write.Before is { State: TicketState.Open } b ? b : null;
        var after = write.After is { State: TicketState.Open } a ? a : null;
        var id = (write.After ?? write.Before ?? throw new ArgumentException("A ticket write needs a ticket.", nameof(write))).TicketId;
        var touched = new[] { MemberOf(before), MemberOf(after) }.OfType<int>().Distinct().Where(m => !current.Touches(m)).Count();
        var beforeKey = before is null ? null : TicketRows.Open(before.OwnerId, id);
        var afterKey = after is null ? null : TicketRows.Open(after.OwnerId, id);
        var operations = 1 + (beforeKey is null || beforeKey == afterKey ? 0 : 1) + (afterKey is null ? 0 : 1) + (write.Event is null ? 0 : 1);
        Fit(operations + touched);

        var ops = current.Operations;
        ops.Add(write switch
        {
            { Before: null, After: { } created } => new(TableTransactionActionType.Add, ServiceTicketEntity.From(partition, TicketRows.Ticket(id), created)),
            { After: { } changed } => new(TableTransactionActionType.UpsertReplace, ServiceTicketEntity.From(partition, TicketRows.Ticket(id), changed)),
            _ => new(TableTransactionActionType.Delete, new TableEntity(partition, TicketRows.Ticket(id)), ETag.All),
        });
        if (beforeKey is not null && beforeKey != afterKey)
        {
            ops.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, beforeKey), ETag.All));
        }

        if (afterKey is not null)
        {
            ops.Add(new(TableTransactionActionType.UpsertReplace, ServiceTicketEntity.From(partition, afterKey, after!)));
        }

        Count(before, -1);
        Count(after, +1);
        if (write.Event is { } data)
        {
            var outbox = TicketOutboxEvents.Create(data, TicketRows.Outbox(data.TicketId, data.AssignmentVersion), traceParent);
            events.Add(outbox);
            ops.Add(new(TableTransactionActionType.Add, TicketOutboxEntity.From(outbox, data.AssignedAt)));
        }
    }

    /// <summary>The member row whose count an open ticket is in; null for the backlog, the admin's fallback and non-members.</summary>
    private int? MemberOf(TicketDetails? open) =>
        open is { HeldByAdmin: false, OwnerId: > 0 } && members.ContainsKey(open.OwnerId) ? open.OwnerId : null;

    private void Count(TicketDetails? open, int delta)
    {
        if (open is null)
        {
            return;
        }

        if (open.HeldByAdmin)
        {
            held += delta;
        }
        else if (open.OwnerId == 0)
        {
            backlog += delta;
        }
        else if (MemberOf(open) is { } id)
        {
            members[id] = members[id] with { OpenCount = members[id].OpenCount + delta };
            current.CountedMembers.Add(id);
        }
    }

    /// <summary>Starts a new chunk when <paramref name="operations"/> more would not fit beside the category row and the member rows already in this one.</summary>
    private void Fit(int operations)
    {
        if (1 + current.Size + operations > EntityGroupTransaction.MaxOperations)
        {
            Close(force: false);
        }
    }

    private void Close(bool force)
    {
        if (current.Size > 0 || (force && chunks.Count == 0))
        {
            current.Seal();
            chunks.Add(current);
        }

        current = new Chunk(this);
    }

    /// <summary>One transaction: the category row (added when the category is new, else merged If-Match), member rows, ticket operations.</summary>
    public sealed class Chunk(TicketTransactions owner)
    {
        private readonly List<TableTransactionAction> sealedActions = [];
        private int backlogCount;
        private int heldCount;
        private bool sealedChunk;

        internal List<TableTransactionAction> Operations { get; } = [];

        internal HashSet<int> FullMembers { get; } = [];

        internal HashSet<int> CountedMembers { get; } = [];

        /// <summary>The settings its category row carries: the old ones, the new ones on the last transaction.</summary>
        internal Category Settings { get; set; } = owner.earlier;

        /// <summary>Operations besides the category row.</summary>
        public int Size => Operations.Count + FullMembers.Count + CountedMembers.Count(id => !FullMembers.Contains(id));

        internal bool Touches(int associateId) => FullMembers.Contains(associateId) || CountedMembers.Contains(associateId);

        /// <summary>The transaction, the category row guarded by <paramref name="version"/> (the ETag the previous chunk returned).</summary>
        public IReadOnlyList<TableTransactionAction> Actions(string? version)
        {
            if (!sealedChunk)
            {
                throw new InvalidOperationException("The chunk is not sealed.");
            }

            var c = Settings;
            var row = new CategoryEntity
            {
                PartitionKey = owner.partition,
                CategoryId = c.Id,
                Name = c.Name,
                Method = c.Method.ToString(),
                AdminId = c.AdminId,
                FallbackToAdmin = c.FallbackToAdmin,
                RebalanceOnPresence = c.RebalanceOnPresence,
                ReassignOnNewMessage = c.ReassignOnNewMessage,
                Cursor = c.Cursor,
                BacklogCount = backlogCount,
                HeldCount = heldCount,
            };
            var first = version is null
                ? new TableTransactionAction(TableTransactionActionType.Add, row)
                : new TableTransactionAction(TableTransactionActionType.UpdateMerge, row, new ETag(version));
            return [first, .. sealedActions];
        }

        /// <summary>Fixes the rows with the counts as they stand after this chunk's tickets (the category row's settings come last, in <see cref="Actions"/>).</summary>
        internal void Seal()
        {
            sealedChunk = true;
            backlogCount = owner.backlog;
            heldCount = owner.held;
            foreach (var id in FullMembers)
            {
                var m = owner.members[id];
                sealedActions.Add(new(TableTransactionActionType.UpsertReplace, new CategoryMemberEntity
                {
                    PartitionKey = owner.partition,
                    RowKey = TicketRows.Member(id),
                    AssociateId = id,
                    Weight = m.Weight,
                    Status = m.Status,
                    PresenceVersion = m.PresenceVersion,
                    OpenCount = m.OpenCount,
                }));
            }

            foreach (var id in CountedMembers.Where(id => !FullMembers.Contains(id)))
            {
                sealedActions.Add(new(
                    TableTransactionActionType.UpdateMerge,
                    new TableEntity(owner.partition, TicketRows.Member(id)) { ["OpenCount"] = owner.members[id].OpenCount },
                    ETag.All));
            }

            sealedActions.AddRange(Operations);
        }
    }
}
