using Azure;
using Microsoft.Extensions.Caching.Memory;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Storage;

/// <summary>
/// The last status row this process read or wrote per associate, with its ETag, so a change can go
/// straight to its If-Match transaction without reading first. A stale entry (another instance wrote
/// since) costs one 412 and a re-read; it never decides anything on its own.
/// </summary>
public sealed class PresenceCache : IDisposable
{
    public const int MaxEntries = 100_000;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public PresenceSnapshot? Get(int associateId) => cache.TryGetValue(associateId, out PresenceSnapshot? snapshot) ? snapshot : null;

    public void Set(PresenceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cache.Set(snapshot.State.AssociateId, snapshot, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Idle });
    }

    public void Forget(int associateId) => cache.Remove(associateId);

    public void Dispose() => cache.Dispose();
}

/// <summary>A status as stored, and the ETag to write over it with; no ETag means there is no row yet.</summary>
public sealed record PresenceSnapshot(PresenceState State, ETag? ETag);
