using System.Collections.Concurrent;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Benchmarks;

/// <summary>Presence in a dictionary: takes storage out of the pipeline benchmark so what remains is the pipeline.</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly ConcurrentDictionary<int, PresenceState> states = new();

    public Task<PresenceState> ReadAsync(int associateId, CancellationToken cancellationToken) =>
        Task.FromResult(states.GetValueOrDefault(associateId) ?? PresenceState.NeverSet(associateId));

    public Task<PresenceCommit> ChangeAsync(int associateId, UserPresenceStatus requested, int changedBy, string? traceParent, CancellationToken cancellationToken)
    {
        var current = states.GetValueOrDefault(associateId) ?? PresenceState.NeverSet(associateId);
        if (current.Matches(requested))
        {
            return Task.FromResult(new PresenceCommit(current, null));
        }

        var next = current with { Status = requested.Status, Message = requested.Message, Version = current.Version + 1, ChangedAt = DateTimeOffset.UtcNow, ChangedBy = changedBy };
        states[associateId] = next;
        return Task.FromResult(new PresenceCommit(next, null));
    }
}
