using System.Collections.Concurrent;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tickets;

/// <summary>
/// Writes a category as PUT: settings, member rows and the membership index. A member's presence is read from the
/// presence store once, when they are added (index row first, then presence, then the member row; a presence change
/// committed in between is applied afterwards like an event). Changing members or method rebalances once.
/// </summary>
public sealed class CategoryWriter(ITicketStore store, IPresenceStore presence, TicketRebalancer rebalancer, TicketEvents events, ConflictRetry retry, TimeProvider time)
{
    public const int MaxMembers = 10_000;
    public const int MaxNameLength = 256; // as the HTTP binder and docs/openapi.json allow
    public const int MaxWeight = 1000;

    public async Task PutAsync(CategorySettings settings, string causedBy, string? traceParent, CancellationToken cancellationToken)
    {
        Validate(settings);
        var presences = new ConcurrentDictionary<int, PresenceState>();
        var committed = new List<TicketOutboxEvent>();

        // Kept across attempts: an attempt redone after its first transactions committed finds those members already
        // written, yet their membership clean-up, presence re-read and the one rebalance are still owed.
        var outcome = new Outcome();
        await retry.RunAsync(ct => new ValueTask<bool>(AttemptAsync(settings, presences, outcome, causedBy, traceParent, committed, ct)), cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(committed, cancellationToken).ConfigureAwait(false);
        if (outcome.Removed.Count > 0)
        {
            await store.SetMembershipAsync(settings.Id, [], outcome.Removed, cancellationToken).ConfigureAwait(false);
        }

        // A presence change committed between the read and the member row: its event may have found no member row yet.
        foreach (var added in outcome.Added)
        {
            var now = await presence.ReadAsync(added, cancellationToken).ConfigureAwait(false);
            if (now.Version > presences[added].Version)
            {
                await rebalancer.ApplyPresenceAsync(settings.Id, added, now.Status.ToName(), now.Version, PresenceChangedEvent.IdFor(added, now.Version), traceParent, cancellationToken).ConfigureAwait(false);
            }
        }

        if (outcome.Rebalance)
        {
            await rebalancer.RebalanceAsync(settings.Id, causedBy, traceParent, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> AttemptAsync(CategorySettings settings, ConcurrentDictionary<int, PresenceState> presences, Outcome outcome, string causedBy, string? traceParent, List<TicketOutboxEvent> committed, CancellationToken cancellationToken)
    {
        var id = settings.Id;
        var current = await store.ReadCategoryAsync(id, cancellationToken).ConfigureAwait(false);
        var stored = (current?.Members ?? []).ToDictionary(m => m.AssociateId);
        var wanted = settings.Members.Select(m => m.AssociateId).ToHashSet();
        var added = settings.Members.Where(m => !stored.ContainsKey(m.AssociateId)).ToList();
        var removed = stored.Keys.Where(a => !wanted.Contains(a)).ToList();
        if (current is null)
        {
            await store.RegisterCategoryAsync(id, cancellationToken).ConfigureAwait(false);
        }

        await store.SetMembershipAsync(id, [.. added.Select(m => m.AssociateId)], [], cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            added.Where(m => !presences.ContainsKey(m.AssociateId)),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (m, ct) => presences[m.AssociateId] = await presence.ReadAsync(m.AssociateId, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var upserts = new List<StoredMember>();
        foreach (var member in added)
        {
            // Someone re-added may still hold open tickets here (kept while they were not a member).
            var open = current is null ? 0 : (await store.ReadOpenAsync(id, member.AssociateId, false, cancellationToken).ConfigureAwait(false)).Count;
            var state = presences[member.AssociateId];
            upserts.Add(new StoredMember(member.AssociateId, member.Weight, state.Status.ToName(), state.Version, open));
        }

        upserts.AddRange(settings.Members
            .Where(m => stored.TryGetValue(m.AssociateId, out var s) && s.Weight != m.Weight)
            .Select(m => stored[m.AssociateId] with { Weight = m.Weight }));
        var category = new Category(id, settings.Name, settings.Method, settings.AdminId, settings.FallbackToAdmin, current?.Category.Cursor ?? 0, settings.RebalanceOnPresence, settings.ReassignOnNewMessage);
        if (current is not null && current.Category == category && upserts.Count == 0 && removed.Count == 0)
        {
            // Nothing to write; a rebalance that died after an earlier PUT's commit is owed when the counts say some
            // ticket waits for someone (cheap: the counts are on the rows just read).
            outcome.Rebalance |= current.BacklogCount > 0 || current.HeldCount > 0 || current.Members.Any(m => !m.Present && m.OpenCount > 0);
            return true;
        }

        var handedOver = await HandOverHeldAsync(current, category, causedBy, cancellationToken).ConfigureAwait(false);
        outcome.Added.UnionWith(added.Select(m => m.AssociateId));
        outcome.Removed.UnionWith(removed);
        outcome.Rebalance |= current is not null && (added.Count > 0 || removed.Count > 0 || current.Category.Method != settings.Method || handedOver.Count > 0);
        var commit = await store.CommitAsync(new PartitionWrite(id, current, category, upserts, removed, handedOver, traceParent), cancellationToken).ConfigureAwait(false);
        committed.AddRange(commit.Events);
        return true;
    }

    /// <summary>
    /// A new admin takes over what the old one held through fallback (or it goes back to the backlog when the category
    /// no longer falls back to anyone): held tickets are indexed under the admin, so left with the old one nobody would find them.
    /// </summary>
    private async Task<List<TicketWrite>> HandOverHeldAsync(CategoryView? current, Category category, string causedBy, CancellationToken cancellationToken)
    {
        if (current is not { HeldCount: > 0 } || current.Category.AdminId == category.AdminId)
        {
            return [];
        }

        var held = await store.ReadOpenAsync(category.Id, current.Category.AdminId, true, cancellationToken).ConfigureAwait(false);
        var toAdmin = category.FallbackToAdmin && category.AdminId > 0;
        var plan = new RebalancePlan([.. held.Select(t => new TicketMove(t.TicketId, t.OwnerId, toAdmin ? category.AdminId : 0, toAdmin))], category.Cursor, CursorChanged: false);
        return TicketMoves.Writes(held.ToDictionary(t => t.TicketId), plan, AssignmentReason.Category, causedBy, time.GetUtcNow());
    }

    private static void Validate(CategorySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        TicketService.EnsurePositive(settings.Id, "id");
        if (string.IsNullOrWhiteSpace(settings.Name) || settings.Name.Length > MaxNameLength)
        {
            throw new TicketRequestException($"Name is required, at most {MaxNameLength} characters.", "Name");
        }

        if (!Enum.IsDefined(settings.Method))
        {
            throw new TicketRequestException("Method must be Even, Weighted, FewestOpen or DoNotAssign.", "Method");
        }

        if (settings.AdminId < 0)
        {
            throw new TicketRequestException("AdminId must be 0 (none) or an associate id.", "AdminId");
        }

        if (settings.Members is null || settings.Members.Count > MaxMembers)
        {
            throw new TicketRequestException($"Members is required, at most {MaxMembers}.", "Members");
        }

        if (settings.Members.Any(m => m is null || m.AssociateId <= 0 || m.Weight is < 1 or > MaxWeight))
        {
            throw new TicketRequestException($"Every member needs a positive AssociateId and a Weight from 1 to {MaxWeight}.", "Members");
        }

        if (settings.Members.GroupBy(m => m.AssociateId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new TicketRequestException($"Member {twice.Key} is listed more than once.", "Members");
        }
    }

    /// <summary>What the PUT owes after its commit, gathered over every attempt.</summary>
    private sealed class Outcome
    {
        public HashSet<int> Added { get; } = [];

        public HashSet<int> Removed { get; } = [];

        public bool Rebalance { get; set; }
    }
}
