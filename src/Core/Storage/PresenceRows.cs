using System.Globalization;

namespace PresenceFunctions.Storage;

/// <summary>
/// Layout of the Presence table: one partition per associate holding its <c>status</c> row, one
/// <c>history-{version}</c> row per change and one <c>outbox-{version}</c> row per unpublished event.
/// Versions are zero-padded so rows sort by version. Partition <c>associates</c> lists every associate
/// ever set, so the outbox relay finds pending events without reading history.
/// </summary>
public static class PresenceRows
{
    public const string Status = "status";
    public const string HistoryPrefix = "history-";
    public const string OutboxPrefix = "outbox-";

    /// <summary>Just after every outbox row key, for range queries.</summary>
    public const string OutboxEnd = "outbox.";

    public const string AssociatesPartition = "associates";

    public static string Partition(int associateId) => associateId.ToString(CultureInfo.InvariantCulture);

    public static string History(long version) => HistoryPrefix + version.ToString("D19", CultureInfo.InvariantCulture);

    public static string Associate(int associateId) => associateId.ToString("D10", CultureInfo.InvariantCulture);

    public static string Outbox(long version) => OutboxPrefix + version.ToString("D19", CultureInfo.InvariantCulture);
}
