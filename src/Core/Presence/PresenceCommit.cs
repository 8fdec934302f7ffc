namespace PresenceFunctions.Presence;

/// <summary>The outcome of a change: the state now stored and, when something changed, the event committed with it.</summary>
public sealed record PresenceCommit(PresenceState State, OutboxEvent? Event)
{
    public bool Changed => Event is not null;
}

/// <summary>An event as it sits in the outbox: where its row is, what subscribers filter on, and the exact body to publish.</summary>
/// <param name="TraceParent">The W3C trace context of the request that made the change, carried into the message.</param>
public sealed record OutboxEvent(int AssociateId, long Version, string Status, string EventId, string RowKey, string Body, string? TraceParent = null)
{
    /// <summary>The stored row's version tag, when known: removing the row after the send removes exactly this row, never a later one with the same key.</summary>
    public string? RowTag { get; init; }
}
