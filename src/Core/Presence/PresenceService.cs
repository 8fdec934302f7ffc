using PresenceFunctions.Observability;

namespace PresenceFunctions.Presence;

/// <summary>The presence use cases: read anyone's, change one's own (or anyone's, as an administrator).</summary>
public sealed class PresenceService(IPresenceStore store, IExpiringPresenceStore expiring, IPresenceChangePublisher outbox)
{
    /// <summary>How many associates one team read asks storage for at once.</summary>
    public const int TeamReadParallelism = 8;

    public Task<PresenceState> GetAsync(int associateId, CancellationToken cancellationToken) =>
        store.ReadAsync(associateId, cancellationToken);

    /// <summary>A null carrier changes nothing and answers the current status, as SuperOffice does.</summary>
    /// <param name="traceParent">The request's W3C trace context, carried with the change's event.</param>
    public Task<PresenceState> SetAsync(Actor actor, int associateId, UserPresenceStatus? requested, string? traceParent, CancellationToken cancellationToken) =>
        SetAsync(actor, associateId, requested, expiresIn: null, traceParent, cancellationToken);

    /// <param name="expiresIn">When given, the presence reverts to StatusNormal this long after it commits; a Set without it cancels a pending expiry.</param>
    public async Task<PresenceState> SetAsync(Actor actor, int associateId, UserPresenceStatus? requested, TimeSpan? expiresIn, string? traceParent, CancellationToken cancellationToken)
    {
        PresenceAccess.EnsureMaySet(actor, associateId);
        if (requested is null)
        {
            return await store.ReadAsync(associateId, cancellationToken).ConfigureAwait(false);
        }

        var commit = expiresIn is { } duration
            ? await expiring.ChangeAsync(associateId, requested, actor.AssociateId, duration, traceParent, cancellationToken).ConfigureAwait(false)
            : await store.ChangeAsync(associateId, requested, actor.AssociateId, traceParent, cancellationToken).ConfigureAwait(false);
        await PublishAsync(commit, cancellationToken).ConfigureAwait(false);
        return commit.State;
    }

    /// <summary>The timer's revert of an expired presence: an ordinary change by associate 0, guarded by the version.</summary>
    public async Task<PresenceCommit> ExpireAsync(int associateId, long version, CancellationToken cancellationToken)
    {
        var commit = await expiring.ExpireAsync(associateId, version, cancellationToken).ConfigureAwait(false);
        await PublishAsync(commit, cancellationToken).ConfigureAwait(false);
        return commit;
    }

    public Task<IReadOnlyList<PresenceHistoryEntry>> HistoryAsync(int associateId, int top, int skip, CancellationToken cancellationToken) =>
        expiring.ReadHistoryAsync(associateId, top, skip, cancellationToken);

    /// <summary>Each associate's presence, in the order given, read a few at a time.</summary>
    public async Task<IReadOnlyList<PresenceState>> GetManyAsync(IReadOnlyList<int> associateIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(associateIds);
        var states = new PresenceState[associateIds.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, associateIds.Count),
            new ParallelOptions { MaxDegreeOfParallelism = TeamReadParallelism, CancellationToken = cancellationToken },
            async (i, ct) => states[i] = await store.ReadAsync(associateIds[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return states;
    }

    private async Task PublishAsync(PresenceCommit commit, CancellationToken cancellationToken)
    {
        if (commit.Event is { } committed)
        {
            PresenceMetrics.Changes.Add(1);
            await outbox.TryPublishAsync(committed, cancellationToken).ConfigureAwait(false);
        }
    }
}
