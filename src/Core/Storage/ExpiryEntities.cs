using Azure;
using Azure.Data.Tables;

namespace PresenceFunctions.Storage;

/// <summary>A row of the expiry index (partition <c>expiry-yyyyMMddHHmm</c>): a hint that this version of an associate's presence expires then.</summary>
public sealed class ExpiryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int AssociateId { get; set; }

    public long Version { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The expiry timer's cursor: every due minute before <see cref="Minute"/> has been swept.</summary>
public sealed class ExpiryCursorEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset Minute { get; set; }
}
