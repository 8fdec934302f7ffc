using System.Globalization;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tickets;

/// <summary>
/// The ticket use cases. Each runs under <see cref="ConflictRetry"/>: a writer that moved first makes it redo from
/// fresh reads. Committed events are handed to the publisher afterwards (best effort; the relay is the guarantee).
/// </summary>
public sealed class TicketService(ITicketStore store, CategoryWriter categories, TicketEvents events, ConflictRetry retry, TimeProvider time)
{
    /// <summary>Creates or replaces a category; changing its members or method rebalances it once.</summary>
    public async Task<CategoryDetails> PutCategoryAsync(Actor actor, CategorySettings settings, string causedBy, string? traceParent, CancellationToken cancellationToken)
    {
        EnsureAdministrator(actor);
        await categories.PutAsync(settings, causedBy, traceParent, cancellationToken).ConfigureAwait(false);
        return await GetCategoryAsync(settings.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CategoryDetails> GetCategoryAsync(int categoryId, CancellationToken cancellationToken)
    {
        EnsurePositive(categoryId, "id");
        var view = await store.ReadCategoryAsync(categoryId, cancellationToken).ConfigureAwait(false)
            ?? throw new TicketNotFoundException($"There is no category {categoryId}.");
        var c = view.Category;
        return new CategoryDetails(
            c.Id,
            c.Name,
            c.Method,
            c.AdminId,
            c.FallbackToAdmin,
            c.RebalanceOnPresence,
            c.ReassignOnNewMessage,
            [.. view.Members.OrderBy(m => m.AssociateId).Select(m => new MemberDetails(m.AssociateId, m.Weight, m.Present, m.OpenCount))],
            view.BacklogCount,
            view.HeldCount);
    }

    /// <summary>Creates or changes a ticket; an arrival is assigned by the category's rule, a category change moves it (crash-safe: repeating the call repairs it).</summary>
    public async Task<TicketDetails> PutTicketAsync(Actor actor, TicketChange change, string causedBy, string? traceParent, CancellationToken cancellationToken)
    {
        EnsureAdministrator(actor);
        ArgumentNullException.ThrowIfNull(change);
        EnsurePositive(change.TicketId, "id");
        if (change.CategoryId is { } category)
        {
            EnsurePositive(category, "CategoryId");
        }

        if (change.OwnerId is < 0)
        {
            throw new TicketRequestException("OwnerId must be 0 (none) or an associate id.", "OwnerId");
        }

        if (change.State is { } state && !Enum.IsDefined(state))
        {
            throw new TicketRequestException("State must be Open or Closed.", "State");
        }

        var committed = new List<TicketOutboxEvent>();
        var ticket = await retry.RunAsync(ct => new ValueTask<TicketDetails>(PutTicketAttemptAsync(change, causedBy, traceParent, committed, ct)), cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(committed, cancellationToken).ConfigureAwait(false);
        return ticket;
    }

    public async Task<TicketDetails> GetTicketAsync(int ticketId, CancellationToken cancellationToken)
    {
        EnsurePositive(ticketId, "id");
        var committed = new List<TicketOutboxEvent>();
        var ticket = await retry.RunAsync(
            async ct =>
            {
                var (location, _) = await LocateAsync(ticketId, committed, ct).ConfigureAwait(false);
                return await store.ReadTicketAsync(location.CategoryId, ticketId, ct).ConfigureAwait(false)
                    ?? throw new TicketNotFoundException($"There is no ticket {ticketId}.");
            },
            cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(committed, cancellationToken).ConfigureAwait(false);
        return ticket;
    }

    /// <summary>A new message arrived: a ticket whose owner is away moves when the category says so.</summary>
    public async Task<TicketDetails> AddMessageAsync(Actor actor, int ticketId, string causedBy, string? traceParent, CancellationToken cancellationToken)
    {
        EnsureAdministrator(actor);
        EnsurePositive(ticketId, "id");
        var committed = new List<TicketOutboxEvent>();
        var ticket = await retry.RunAsync(
            async ct =>
            {
                var (location, _) = await LocateAsync(ticketId, committed, ct).ConfigureAwait(false);
                var view = await store.ReadCategoryAsync(location.CategoryId, ct).ConfigureAwait(false);
                var before = view is null ? null : await store.ReadTicketAsync(view.Category.Id, ticketId, ct).ConfigureAwait(false);
                if (view is null || before is null)
                {
                    throw new TicketNotFoundException($"There is no ticket {ticketId}.");
                }

                var plan = TicketRules.OnNewMessage(view.Category, view.Loads, before.Ticket);
                if (plan.IsEmpty)
                {
                    return before;
                }

                var writes = TicketMoves.Writes(new Dictionary<int, TicketDetails> { [ticketId] = before }, plan, AssignmentReason.Message, causedBy, time.GetUtcNow());
                var commit = await store.CommitAsync(PartitionWrite.OfTickets(view, writes, traceParent, plan.CursorChanged ? view.Category with { Cursor = plan.Cursor } : null), ct).ConfigureAwait(false);
                committed.AddRange(commit.Events);
                return writes[0].After!;
            },
            cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(committed, cancellationToken).ConfigureAwait(false);
        return ticket;
    }

    public async Task<TicketPage> ListCategoryTicketsAsync(int categoryId, int? ownerId, TicketState? state, int top, int skip, string? continuation, CancellationToken cancellationToken)
    {
        EnsurePositive(categoryId, "id");
        if (ownerId is < 0)
        {
            throw new TicketRequestException("ownerId must be 0 (unassigned) or an associate id.", "ownerId");
        }

        if (state is { } s && !Enum.IsDefined(s))
        {
            throw new TicketRequestException("state must be Open or Closed.", "state");
        }

        TicketPaging.Validate(top, skip);
        var scope = string.Create(CultureInfo.InvariantCulture, $"category-{categoryId}-{ownerId?.ToString(CultureInfo.InvariantCulture) ?? "*"}-{state?.ToString() ?? "*"}");
        var after = TicketPaging.Decode(scope, continuation);
        if (!await store.CategoryExistsAsync(categoryId, cancellationToken).ConfigureAwait(false))
        {
            throw new TicketNotFoundException($"There is no category {categoryId}.");
        }

        // An owner's open tickets are one index range; anything else is a filtered read of the ticket rows.
        var rows = ownerId is { } owner && state == TicketState.Open
            ? await store.ReadOpenPageAsync(categoryId, owner, after, skip + top + 1, cancellationToken).ConfigureAwait(false)
            : await store.ReadTicketPageAsync(categoryId, ownerId, state, after, skip + top + 1, cancellationToken).ConfigureAwait(false);
        return TicketPaging.Page(scope, rows, top, skip);
    }

    /// <summary>Their open tickets across their categories (membership index, then each category's index range), by ticket id.</summary>
    public async Task<TicketPage> ListUserTicketsAsync(int associateId, int top, int skip, string? continuation, CancellationToken cancellationToken)
    {
        EnsurePositive(associateId, "associateId");
        TicketPaging.Validate(top, skip);
        var scope = string.Create(CultureInfo.InvariantCulture, $"user-{associateId}");
        var after = TicketPaging.Decode(scope, continuation);
        var rows = new List<TicketDetails>();
        foreach (var categoryId in await store.CategoriesOfAsync(associateId, cancellationToken).ConfigureAwait(false))
        {
            rows.AddRange(await store.ReadOpenPageAsync(categoryId, associateId, after, skip + top + 1, cancellationToken).ConfigureAwait(false));
        }

        return TicketPaging.Page(scope, [.. rows.OrderBy(t => t.TicketId).ThenBy(t => t.CategoryId)], top, skip);
    }

    private async Task<TicketDetails> PutTicketAttemptAsync(TicketChange change, string causedBy, string? traceParent, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var id = change.TicketId;
        var (location, _) = await FindAsync(id, mustExist: false, committed, cancellationToken).ConfigureAwait(false);
        var target = change.CategoryId ?? location?.CategoryId
            ?? throw new TicketRequestException("A new ticket needs a CategoryId.", "CategoryId");
        var view = await store.ReadCategoryAsync(target, cancellationToken).ConfigureAwait(false)
            ?? throw new TicketRequestException($"There is no category {target}.", "CategoryId");

        if (location is null)
        {
            // The locator first: a ticket row never exists without it, so a crash here leaves a locator that the repeat completes.
            await store.WriteLocationAsync(new TicketLocation(id, target, null, null, null, null, null), cancellationToken).ConfigureAwait(false);
            return await ArriveAsync(view, null, new TicketArrival(id, change.OwnerId ?? 0, change.State ?? TicketState.Open, AssignmentReason.Arrival, 0, 0), causedBy, traceParent, committed, cancellationToken).ConfigureAwait(false);
        }

        if (target != location.CategoryId)
        {
            // A category move: the intent goes on the locator first, so anyone can finish it (FinishMoveAsync).
            // Only what the change asks for travels: the rest is taken from the source row as it stands when the move finishes.
            await SourceOfMoveAsync(location, causedBy, traceParent, committed, cancellationToken).ConfigureAwait(false);
            var intent = location with
            {
                CategoryId = target,
                PreviousCategoryId = location.CategoryId,
                RequestedOwnerId = change.OwnerId,
                RequestedState = change.State,
                CausedBy = causedBy,
            };
            intent = await store.WriteLocationAsync(intent, cancellationToken).ConfigureAwait(false);
            await FinishMoveAsync(intent, traceParent, committed, cancellationToken).ConfigureAwait(false);
            return await store.ReadTicketAsync(target, id, cancellationToken).ConfigureAwait(false)
                ?? throw new ConcurrencyConflictException($"Ticket {id} moved on under the change.");
        }

        // Read after the view it is committed against, never a copy from before it.
        var before = await store.ReadTicketAsync(target, id, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return await ArriveAsync(view, null, new TicketArrival(id, change.OwnerId ?? 0, change.State ?? TicketState.Open, AssignmentReason.Arrival, 0, 0), causedBy, traceParent, committed, cancellationToken).ConfigureAwait(false);
        }

        var state = change.State ?? before.State;
        if (((change.OwnerId ?? before.OwnerId) == before.OwnerId || AlreadyArrived(view, before, change.OwnerId!.Value)) && state == before.State)
        {
            return before;
        }

        // An open ticket the admin held through fallback arrives with nobody asked for, unless the change names an owner.
        var owner = change.OwnerId ?? (state == TicketState.Open ? CarriedOwner(before) : before.OwnerId);

        return await ArriveAsync(view, before, new TicketArrival(id, owner, state, AssignmentReason.Arrival, before.AssignmentVersion, before.OwnerId), causedBy, traceParent, committed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The ticket as it stands where its locator says it lives, read after that category's view. A locator whose row is not
    /// there yet (a create still in flight, or one that crashed) gets the row created first: that Add and the category's
    /// If-Match settle the race with the create, so a ticket is never created in one category while moving to another.
    /// </summary>
    private async Task<TicketDetails?> SourceOfMoveAsync(TicketLocation location, string causedBy, string? traceParent, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var source = await store.ReadCategoryAsync(location.CategoryId, cancellationToken).ConfigureAwait(false);
        var row = await store.ReadTicketAsync(location.CategoryId, location.TicketId, cancellationToken).ConfigureAwait(false);
        return row is null && source is not null
            ? await ArriveAsync(source, null, new TicketArrival(location.TicketId, 0, TicketState.Open, AssignmentReason.Arrival, 0, 0), causedBy, traceParent, committed, cancellationToken).ConfigureAwait(false)
            : row;
    }

    /// <summary>
    /// The ticket's locator; a category move left in flight is finished first. Also answers the ticket when finishing
    /// the move read it in its new category.
    /// </summary>
    private async Task<(TicketLocation Location, TicketDetails? Ticket)> LocateAsync(int ticketId, List<TicketOutboxEvent> committed, CancellationToken cancellationToken) =>
        await FindAsync(ticketId, mustExist: true, committed, cancellationToken).ConfigureAwait(false) is ({ } location, var ticket)
            ? (location, ticket)
            : throw new TicketNotFoundException($"There is no ticket {ticketId}.");

    private async Task<(TicketLocation? Location, TicketDetails? Ticket)> FindAsync(int ticketId, bool mustExist, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var location = await store.ReadLocationAsync(ticketId, cancellationToken).ConfigureAwait(false);
        if (location is null)
        {
            return mustExist ? throw new TicketNotFoundException($"There is no ticket {ticketId}.") : (null, null);
        }

        return location.PreviousCategoryId is null
            ? (location, null)
            : await FinishMoveAsync(location, null, committed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Steps 2 to 4 of a category move, each idempotent: the ticket enters the new category (skipped when it is there),
    /// leaves the previous one (skipped when it is gone), and the locator forgets the previous category.
    /// </summary>
    private async Task<(TicketLocation, TicketDetails?)> FinishMoveAsync(TicketLocation location, string? traceParent, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var id = location.TicketId;
        var previous = location.PreviousCategoryId!.Value;
        var causedBy = location.CausedBy ?? "ticket-" + id.ToString(CultureInfo.InvariantCulture);
        var from = await store.ReadTicketAsync(previous, id, cancellationToken).ConfigureAwait(false);
        var moved = await store.ReadTicketAsync(location.CategoryId, id, cancellationToken).ConfigureAwait(false);
        if (moved is null)
        {
            var view = await ReadMoveTargetAsync(location, cancellationToken).ConfigureAwait(false);
            moved = await ArriveAsync(view, null, MoveArrival(location, from, from?.AssignmentVersion ?? 0, announce: false), causedBy, traceParent, committed, cancellationToken).ConfigureAwait(false);
        }

        if (from is not null)
        {
            if (store.BeforeLeavingPreviousCategory is { } hook)
            {
                await hook(id, cancellationToken).ConfigureAwait(false);
            }

            var view = await store.ReadCategoryAsync(previous, cancellationToken).ConfigureAwait(false);

            // What leaves is the row as it stands under the view the delete is committed against: a change committed in
            // the previous category since the new row was derived (a reopen, another owner) is carried over, with a new
            // version above both, so no version is announced twice for different states and nothing is left behind.
            var leaving = view is null ? null : await store.ReadTicketAsync(previous, id, cancellationToken).ConfigureAwait(false);
            if (view is not null && leaving is not null)
            {
                if (leaving.AssignmentVersion >= moved.AssignmentVersion || (location.RequestedState is null && leaving.State != moved.State))
                {
                    moved = await RederiveAsync(location, leaving, causedBy, traceParent, committed, cancellationToken).ConfigureAwait(false);
                }

                // Its pending outbox rows stay for the relay; only the ticket, its index row and its count go.
                await store.CommitAsync(PartitionWrite.OfTickets(view, [new TicketWrite(leaving, null, null)], traceParent), cancellationToken).ConfigureAwait(false);
            }
        }

        var settled = await store.WriteLocationAsync(location with { PreviousCategoryId = null, RequestedOwnerId = null, RequestedState = null, CausedBy = null }, cancellationToken).ConfigureAwait(false);
        return (settled, moved);
    }

    /// <summary>The moved ticket derived again, in its new category, from the previous category's row as it now stands.</summary>
    private async Task<TicketDetails> RederiveAsync(TicketLocation location, TicketDetails leaving, string causedBy, string? traceParent, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var view = await ReadMoveTargetAsync(location, cancellationToken).ConfigureAwait(false);
        var stored = await store.ReadTicketAsync(location.CategoryId, location.TicketId, cancellationToken).ConfigureAwait(false)
            ?? throw new ConcurrencyConflictException($"Ticket {location.TicketId} left its new category under the move.");
        var arrival = MoveArrival(location, leaving, Math.Max(leaving.AssignmentVersion, stored.AssignmentVersion), announce: true);
        return await ArriveAsync(view, stored, arrival, causedBy, traceParent, committed, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CategoryView> ReadMoveTargetAsync(TicketLocation location, CancellationToken cancellationToken) =>
        await store.ReadCategoryAsync(location.CategoryId, cancellationToken).ConfigureAwait(false)
            ?? throw new TicketRequestException($"There is no category {location.CategoryId}.", "CategoryId");

    /// <summary>How a moved ticket arrives in its new category: what the move asked for, else what it had where it came from.</summary>
    private static TicketArrival MoveArrival(TicketLocation location, TicketDetails? from, long baseVersion, bool announce) => new(
        location.TicketId,
        location.RequestedOwnerId ?? (from is null ? 0 : CarriedOwner(from)),
        location.RequestedState ?? from?.State ?? TicketState.Open,
        AssignmentReason.Category,
        baseVersion,
        from?.OwnerId ?? 0,
        announce);

    /// <summary>
    /// Writes a ticket that arrived in <paramref name="view"/>'s category: an Open one goes through the arrival rule; any
    /// change of category, owner or fallback mark bumps the assignment version and writes its event in the same transaction.
    /// </summary>
    private async Task<TicketDetails> ArriveAsync(CategoryView view, TicketDetails? before, TicketArrival arrival, string causedBy, string? traceParent, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var id = arrival.TicketId;
        var categoryId = view.Category.Id;
        var owner = arrival.OwnerId;
        var held = false;
        var reason = arrival.Rule;
        Category? settings = null;
        if (arrival.State == TicketState.Open)
        {
            var plan = TicketRules.OnArrival(view.Category, view.Loads, new Ticket(id, categoryId, owner, TicketState.Open));
            if (plan.Moves is [var move])
            {
                owner = move.ToOwnerId;
                held = move.HeldByAdmin;
                reason = TicketRules.ReasonFor(move, arrival.Rule);
            }

            settings = plan.CursorChanged ? view.Category with { Cursor = plan.Cursor } : null;
        }
        else if (before is not null && before.OwnerId == owner)
        {
            // Closing keeps the fallback mark: nothing about who holds it changed.
            held = before.HeldByAdmin;
        }

        var now = time.GetUtcNow();
        var assignmentChanged = arrival.Announce || before is null || before.OwnerId != owner || before.HeldByAdmin != held;
        var after = assignmentChanged
            ? new TicketDetails(id, categoryId, owner, arrival.State, held, arrival.BaseVersion + 1, TicketAssignedEvent.ReasonName(reason), causedBy, now)
            : before! with { State = arrival.State };
        var write = new TicketWrite(before, after, assignmentChanged ? TicketMoves.EventOf(after, arrival.PreviousOwnerId) : null);
        var commit = await store.CommitAsync(PartitionWrite.OfTickets(view, [write], traceParent, settings), cancellationToken).ConfigureAwait(false);
        committed.AddRange(commit.Events);
        return after;
    }

    /// <summary>
    /// Whether an open ticket already has what asking for <paramref name="requested"/> (nobody, or a member who is away)
    /// gave it: an owner the arrival rule keeps (a present member, or the admin's fallback with nobody present). Running
    /// the rule again would pass it on to the next member each time, so a repeated PUT changes nothing.
    /// </summary>
    private static bool AlreadyArrived(CategoryView view, TicketDetails before, int requested)
    {
        if (before.State != TicketState.Open || view.Category.Method == AssignmentMethod.DoNotAssign
            || (requested != 0 && view.Member(requested) is not { Present: false }))
        {
            return false;
        }

        return before.HeldByAdmin
            ? !view.Members.Any(m => m.Present)
            : view.Member(before.OwnerId) is { Present: true };
    }

    /// <summary>The owner a ticket arrives with when the change names none: nobody, when only the admin's fallback held it.</summary>
    private static int CarriedOwner(TicketDetails ticket) => ticket.HeldByAdmin ? 0 : ticket.OwnerId;

    private static void EnsureAdministrator(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdministrator)
        {
            throw new ForbiddenChangeException("Only an administrator may change tickets and categories.", "id");
        }
    }

    internal static void EnsurePositive(int id, string field)
    {
        if (id <= 0)
        {
            throw new TicketRequestException($"{field} must be a positive id.", field);
        }
    }

    /// <summary>
    /// What arrives: the owner and state asked for, the rule, and the version and owner it had before (in this or the previous
    /// category). <paramref name="Announce"/>: a new version and event even when the owner stays (a move derived again).
    /// </summary>
    private sealed record TicketArrival(int TicketId, int OwnerId, TicketState State, AssignmentReason Rule, long BaseVersion, int PreviousOwnerId, bool Announce = false);
}
