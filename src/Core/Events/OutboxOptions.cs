namespace PresenceFunctions.Events;

/// <summary>Settings under <c>Outbox</c>, plus the topic names at the top level (docs/events.md).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>The relay leaves younger rows alone: their Set is still publishing them.</summary>
    public int GraceSeconds { get; set; } = 10;

    /// <summary>How many associates' partitions the relay searches at once.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>How long publishing right after a commit may take before the relay is left to do it.</summary>
    public int PublishTimeoutSeconds { get; set; } = 10;
}
