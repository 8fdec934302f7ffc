using PresenceFunctions.Observability;

namespace PresenceFunctions.Presence;

/// <summary>The presence use cases: read anyone's, change one's own (or anyone's, as an administrator).</summary>
public sealed class PresenceService(IPresenceStore store, IPresenceChangePublisher outbox)
{
    public Task<PresenceState> GetAsync(int associateId, CancellationToken cancellationToken) =>
        store.ReadAsync(associateId, cancellationToken);

    /// <summary>A null carrier changes nothing and answers the current status, as SuperOffice does.</summary>
    /// <param name="traceParent">The request's W3C trace context, carried with the change's event.</param>
    public async Task<PresenceState> SetAsync(Actor actor, int associateId, UserPresenceStatus? requested, string? traceParent, CancellationToken cancellationToken)
    {
        PresenceAccess.EnsureMaySet(actor, associateId);
        if (requested is null)
        {
            return await store.ReadAsync(associateId, cancellationToken).ConfigureAwait(false);
        }

        var commit = await store.ChangeAsync(associateId, requested, actor.AssociateId, traceParent, cancellationToken).ConfigureAwait(false);
        if (commit.Event is { } committed)
        {
            PresenceMetrics.Changes.Add(1);
            await outbox.TryPublishAsync(committed, cancellationToken).ConfigureAwait(false);
        }

        return commit.State;
    }
}
