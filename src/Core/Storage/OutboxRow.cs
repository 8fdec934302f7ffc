namespace PresenceFunctions.Storage;

/// <summary>A sent event's outbox row, by table name and keys.</summary>
/// <param name="Tag">The row's ETag when known: its delete then removes exactly that row (a row stored again under the same key after storage was emptied stays).</param>
/// <param name="Version">The version of the presence event the row holds, when known: the associate's next change may then store its own event in it (<see cref="FoldedRows"/>).</param>
public sealed record OutboxRow(string Table, string PartitionKey, string RowKey, string? Tag = null, long? Version = null);
