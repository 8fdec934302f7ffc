namespace PresenceFunctions.Presence;

/// <summary>Where presence lives. <c>Storage/PresenceStore</c> is Table Storage; the pipeline benchmark swaps in memory to measure everything else.</summary>
public interface IPresenceStore
{
    Task<PresenceState> ReadAsync(int associateId, CancellationToken cancellationToken);

    /// <param name="traceParent">The request's W3C trace context, stored with the event so it reaches the message.</param>
    Task<PresenceCommit> ChangeAsync(int associateId, UserPresenceStatus requested, int changedBy, string? traceParent, CancellationToken cancellationToken);
}
