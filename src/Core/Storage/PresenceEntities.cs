using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Storage;

/// <summary>The <c>status</c> row and each <c>history-{version}</c> row.</summary>
public sealed class PresenceStatusEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Status { get; set; } = "";

    public string? Message { get; set; }

    public long Version { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public int ChangedBy { get; set; }

    /// <summary>Set on history rows only.</summary>
    public string? PreviousStatus { get; set; }

    /// <summary>When this presence reverts to StatusNormal; null when no expiry is pending.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

/// <summary>
/// An <c>outbox-{version}</c> row: an event committed with its change and not yet published, or (parked, see
/// <see cref="SentOutboxRows"/>) published and about to be removed or taken over by the associate's next event.
/// </summary>
public sealed class OutboxEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string EventId { get; set; } = "";

    public int AssociateId { get; set; }

    public long Version { get; set; }

    public string Status { get; set; } = "";

    /// <summary>The CloudEvent in structured JSON, exactly as it is published.</summary>
    public string CloudEvent { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The W3C trace context of the request that made the change.</summary>
    public string? TraceParent { get; set; }

    /// <summary>The event as stored, with the row's ETag: removing it after the send removes exactly this row.</summary>
    /// <remarks>An empty trace parent is none: a row taken over by a later event is merged, and "" is how that event clears the one before.</remarks>
    public OutboxEvent ToEvent() => new(AssociateId, Version, Status, EventId, RowKey, CloudEvent, TraceParent is { Length: > 0 } traceParent ? traceParent : null) { RowTag = ETag == default ? null : ETag.ToString() };
}

/// <summary>A row of the associate registry (partitions <c>associates-NN</c>): the outbox relay's list of partitions to look in.</summary>
public sealed class AssociateEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int AssociateId { get; set; }
}
