using System.Globalization;

namespace PresenceFunctions.Storage;

/// <summary>
/// Layout of the Presence table: one partition per associate holding its <c>status</c> row, one
/// <c>history-{version}</c> row per change and one <c>outbox-{version}</c> row per unpublished event (the version
/// of the first event the row held: a sent row can be taken over by the next change's event, see <see cref="FoldedRows"/>).
/// Versions are zero-padded so rows sort by version, outbox rows by the versions they hold. Partitions <c>associates-00</c> to <c>associates-15</c>
/// list every associate ever set, so the outbox relay finds pending events without reading history; the
/// list is spread over 16 partitions so that reading it stays far below one partition's throughput target.
/// Pending expiries are indexed by due minute in partitions <c>expiry-yyyyMMddHHmm</c> (row
/// <c>{associateId}-{version}</c>), so the expiry timer reads the minutes that passed, never every associate.
/// </summary>
public static class PresenceRows
{
    public const string Status = "status";
    public const string HistoryPrefix = "history-";
    public const string OutboxPrefix = "outbox-";

    /// <summary>Just after every outbox row key, for range queries.</summary>
    public const string OutboxEnd = "outbox.";

    public const string ExpiryPrefix = "expiry-";

    /// <summary>The expiry timer's progress: the oldest due minute it has not finished.</summary>
    public const string ExpiryCursorPartition = "expiry-cursor";
    public const string ExpiryCursor = "cursor";

    public const int AssociateShards = 16;

    public static string Partition(int associateId) => associateId.ToString(CultureInfo.InvariantCulture);

    public static string History(long version) => HistoryPrefix + version.ToString("D19", CultureInfo.InvariantCulture);

    public static string Associate(int associateId) => associateId.ToString("D10", CultureInfo.InvariantCulture);

    public static string AssociatesPartition(int shard) => "associates-" + shard.ToString("D2", CultureInfo.InvariantCulture);

    public static string AssociatesPartitionOf(int associateId) => AssociatesPartition((int)((uint)associateId % AssociateShards));

    public static string Outbox(long version) => OutboxPrefix + version.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The due minute's partition, in UTC: sorts by time, and one minute's expiries are one partition read.</summary>
    public static string ExpiryPartition(DateTimeOffset due) => ExpiryPrefix + due.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public static string Expiry(int associateId, long version) =>
        Associate(associateId) + "-" + version.ToString("D19", CultureInfo.InvariantCulture);
}
