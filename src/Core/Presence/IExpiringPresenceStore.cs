namespace PresenceFunctions.Presence;

/// <summary>
/// What presence that expires and its history need beyond <see cref="IPresenceStore"/>. A separate port so that
/// stores that only read and change (the pipeline benchmark's) need not grow these.
/// </summary>
public interface IExpiringPresenceStore
{
    /// <summary>A change that reverts by itself <paramref name="expiresIn"/> after it commits.</summary>
    Task<PresenceCommit> ChangeAsync(int associateId, UserPresenceStatus requested, int changedBy, TimeSpan expiresIn, string? traceParent, CancellationToken cancellationToken);

    /// <summary>
    /// Reverts to StatusNormal with a null message, as a change by associate 0, only while version
    /// <paramref name="version"/> is stored with an expiry that has passed; otherwise writes nothing.
    /// </summary>
    Task<PresenceCommit> ExpireAsync(int associateId, long version, CancellationToken cancellationToken);

    /// <summary>Newest first; one range read of the history rows.</summary>
    Task<IReadOnlyList<PresenceHistoryEntry>> ReadHistoryAsync(int associateId, int top, int skip, CancellationToken cancellationToken);
}
