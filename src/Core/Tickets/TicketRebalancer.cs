using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Observability;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tickets;

/// <summary>
/// Acts on a presence-changed event: per category the associate belongs to, applies the presence from the event (never
/// over a newer one) and moves only the tickets the change concerns, read by index range. A duplicate, stale or
/// reordered event re-plans from stored state, which also repairs a pass that died between transactions.
/// </summary>
public sealed partial class TicketRebalancer(ITicketStore tickets, TicketEvents events, ConflictRetry retry, TimeProvider time, ILogger<TicketRebalancer> logger)
{
    /// <summary>Throws on a message that is not a presence-changed CloudEvent, so the trigger retries and dead-letters it.</summary>
    /// <param name="traceParent">The trace context the message carries: the pass continues the trace of the request that made the change.</param>
    public async Task HandleAsync(BinaryData message, string? traceParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var change = PresenceChangedEvent.Decode(message.ToMemory());
        var eventId = PresenceChangedEvent.IdFor(change.AssociateId, change.Version);
        using var activity = PresenceTracing.StartContinuation("RebalanceTickets", ActivityKind.Consumer, traceParent);
        activity?.SetTag("presence.associate_id", change.AssociateId);
        activity?.SetTag("presence.event_id", eventId);
        activity?.SetTag("presence.version", change.Version);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["AssociateId"] = change.AssociateId,
            ["EventId"] = eventId,
            ["Version"] = change.Version,
            ["TraceId"] = PresenceTracing.TraceIdOf(traceParent),
        });
        foreach (var categoryId in await tickets.CategoriesOfAsync(change.AssociateId, cancellationToken).ConfigureAwait(false))
        {
            var result = await ApplyPresenceAsync(categoryId, change.AssociateId, change.Status, change.Version, eventId, traceParent, cancellationToken).ConfigureAwait(false);
            LogPass(logger, categoryId, change.AssociateId, eventId, change.Version, result.Moved, result.Transactions);
        }
    }

    /// <summary>One category's presence pass: the member row takes the status unless it holds a newer version; the tickets in scope move.</summary>
    public async Task<RebalanceResult> ApplyPresenceAsync(int categoryId, int associateId, string status, long version, string causedBy, string? traceParent, CancellationToken cancellationToken)
    {
        var committed = new List<TicketOutboxEvent>();
        var result = await retry.RunAsync(ct => PresencePassAsync(categoryId, associateId, status, version, causedBy, traceParent, committed, ct), cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(committed, cancellationToken).ConfigureAwait(false);
        PresenceMetrics.TicketsMoved.Add(result.Moved);
        return result;
    }

    /// <summary>A full pass over a category (reason <c>category</c>): the backlog, what the admin holds, and the open tickets of members who are away.</summary>
    public Task<RebalanceResult> RebalanceAsync(int categoryId, CancellationToken cancellationToken) =>
        RebalanceAsync(categoryId, "category-" + categoryId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, cancellationToken);

    public async Task<RebalanceResult> RebalanceAsync(int categoryId, string causedBy, string? traceParent, CancellationToken cancellationToken)
    {
        var committed = new List<TicketOutboxEvent>();
        var result = await retry.RunAsync(ct => FullPassAsync(categoryId, causedBy, traceParent, committed, ct), cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(committed, cancellationToken).ConfigureAwait(false);
        PresenceMetrics.TicketsMoved.Add(result.Moved);
        return result;
    }

    private async ValueTask<RebalanceResult> PresencePassAsync(int categoryId, int associateId, string status, long version, string causedBy, string? traceParent, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var view = await tickets.ReadCategoryAsync(categoryId, cancellationToken).ConfigureAwait(false);
        if (view?.Member(associateId) is not { } member)
        {
            return RebalanceResult.None;
        }

        // The version guard: an older or repeated event never overwrites what a newer one applied.
        var apply = version > member.PresenceVersion && !string.IsNullOrEmpty(status);
        var changed = apply ? member with { Status = status, PresenceVersion = version } : member;
        var loads = view.Members.Select(m => m.AssociateId == associateId ? changed.Load : m.Load).ToList();
        var candidates = TicketRules.ScopeOfPresenceChange(view.Category, changed.Load) switch
        {
            PresenceScope.OwnTickets => await tickets.ReadOpenAsync(categoryId, associateId, false, cancellationToken).ConfigureAwait(false),
            PresenceScope.BacklogAndFallback => await BacklogAndHeldAsync(view, cancellationToken).ConfigureAwait(false),
            _ => [],
        };
        var plan = RebalancePlanner.Assign(view.Category, loads, [.. candidates.Select(t => t.Ticket)]);
        if (!apply && plan.IsEmpty)
        {
            return RebalanceResult.None;
        }

        return await CommitAsync(view, candidates, plan, AssignmentReason.Presence, causedBy, traceParent, apply ? [changed] : [], committed, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<RebalanceResult> FullPassAsync(int categoryId, string causedBy, string? traceParent, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var view = await tickets.ReadCategoryAsync(categoryId, cancellationToken).ConfigureAwait(false);
        if (view is null || view.Category.Method == AssignmentMethod.DoNotAssign)
        {
            return RebalanceResult.None;
        }

        var candidates = new List<TicketDetails>(await BacklogAndHeldAsync(view, cancellationToken).ConfigureAwait(false));
        foreach (var away in view.Members.Where(m => !m.Present && m.OpenCount > 0))
        {
            candidates.AddRange(await tickets.ReadOpenAsync(categoryId, away.AssociateId, false, cancellationToken).ConfigureAwait(false));
        }

        var plan = RebalancePlanner.Assign(view.Category, view.Loads, [.. candidates.Select(t => t.Ticket)]);
        return plan.IsEmpty
            ? RebalanceResult.None
            : await CommitAsync(view, candidates, plan, AssignmentReason.Category, causedBy, traceParent, [], committed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The backlog and what the admin holds through fallback, each read only when its count says there is some.</summary>
    private async Task<IReadOnlyList<TicketDetails>> BacklogAndHeldAsync(CategoryView view, CancellationToken cancellationToken)
    {
        var found = new List<TicketDetails>();
        if (view.BacklogCount > 0)
        {
            found.AddRange(await tickets.ReadOpenAsync(view.Category.Id, 0, null, cancellationToken).ConfigureAwait(false));
        }

        if (view.HeldCount > 0 && view.Category.AdminId > 0)
        {
            found.AddRange(await tickets.ReadOpenAsync(view.Category.Id, view.Category.AdminId, true, cancellationToken).ConfigureAwait(false));
        }

        return found;
    }

    private async Task<RebalanceResult> CommitAsync(
        CategoryView view,
        IReadOnlyList<TicketDetails> candidates,
        RebalancePlan plan,
        AssignmentReason rule,
        string causedBy,
        string? traceParent,
        IReadOnlyList<StoredMember> members,
        List<TicketOutboxEvent> committed,
        CancellationToken cancellationToken)
    {
        var writes = TicketMoves.Writes(candidates.DistinctBy(t => t.TicketId).ToDictionary(t => t.TicketId), plan, rule, causedBy, time.GetUtcNow());
        var settings = plan.CursorChanged ? view.Category with { Cursor = plan.Cursor } : null;
        try
        {
            var commit = await tickets.CommitAsync(new PartitionWrite(view.Category.Id, view, settings, members, [], writes, traceParent), cancellationToken).ConfigureAwait(false);
            committed.AddRange(commit.Events);
            return new RebalanceResult(writes.Count, commit.Transactions);
        }
        catch (ConcurrencyConflictException)
        {
            LogConflict(logger, view.Category.Id);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebalanced category {CategoryId} after {AssociateId} changed (event {EventId}, version {Version}): {Moved} tickets moved in {Transactions} transactions")]
    private static partial void LogPass(ILogger logger, int categoryId, int associateId, string eventId, long version, int moved, int transactions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Category {CategoryId} changed under a pass; redoing it")]
    private static partial void LogConflict(ILogger logger, int categoryId);
}

/// <summary>What a pass did.</summary>
public sealed record RebalanceResult(int Moved, int Transactions)
{
    public static readonly RebalanceResult None = new(0, 0);
}
