using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Observability;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tickets;

/// <summary>
/// Acts on a presence-changed event: one rebalance pass per category the associate belongs to, planned
/// on the presence stored now rather than on what the event claims, so a duplicate, stale or reordered
/// event does no harm.
/// </summary>
public sealed partial class TicketRebalancer(ITicketStore tickets, IPresenceStore presence, ConflictRetry retry, ILogger<TicketRebalancer> logger)
{
    private const int PresenceReadParallelism = 16;

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
            var result = await RebalanceAsync(categoryId, cancellationToken).ConfigureAwait(false);
            PresenceMetrics.TicketsMoved.Add(result.Moved);
            LogPass(logger, categoryId, change.AssociateId, eventId, change.Version, result.Moved, result.Transactions);
        }
    }

    /// <summary>Plans and writes one pass; redoes it from a fresh read when another writer got there first (<see cref="ConflictRetry"/>).</summary>
    public async Task<RebalanceResult> RebalanceAsync(int categoryId, CancellationToken cancellationToken) =>
        await retry.RunAsync(ct => PassAsync(categoryId, ct), cancellationToken).ConfigureAwait(false);

    private async ValueTask<RebalanceResult> PassAsync(int categoryId, CancellationToken cancellationToken)
    {
        var snapshot = await tickets.ReadCategoryAsync(categoryId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return RebalanceResult.None;
        }

        var present = await PresentMembersAsync(snapshot.Members, cancellationToken).ConfigureAwait(false);
        var plan = RebalancePlanner.Plan(snapshot.Category, snapshot.Members, present.Contains, snapshot.OpenTickets);
        if (plan.IsEmpty)
        {
            return RebalanceResult.None;
        }

        try
        {
            var transactions = await tickets.ApplyAsync(snapshot, plan, cancellationToken).ConfigureAwait(false);
            return new RebalanceResult(plan.Moves.Count, transactions);
        }
        catch (ConcurrencyConflictException)
        {
            LogConflict(logger, categoryId);
            throw;
        }
    }

    private async Task<HashSet<int>> PresentMembersAsync(IReadOnlyList<CategoryMember> members, CancellationToken cancellationToken)
    {
        var present = new HashSet<int>();
        await Parallel.ForEachAsync(
            members,
            new ParallelOptions { MaxDegreeOfParallelism = PresenceReadParallelism, CancellationToken = cancellationToken },
            async (member, ct) =>
            {
                var state = await presence.ReadAsync(member.AssociateId, ct).ConfigureAwait(false);
                if (state.Status == UserStatus.StatusNormal)
                {
                    lock (present)
                    {
                        present.Add(member.AssociateId);
                    }
                }
            }).ConfigureAwait(false);
        return present;
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
