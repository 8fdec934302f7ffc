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

    /// <summary>How many events the dispatch queue holds, all lanes together; a Set finding it full leaves its event to the relay.</summary>
    public int DispatchCapacity { get; set; } = 1024;

    /// <summary>How many lanes publish at once; each lane is sequential, so one associate's (or category's) events keep their order.</summary>
    public int DispatchLanes { get; set; } = 8;

    /// <summary>
    /// How many partitions' sent rows the cleanup removes at once. High, because it must keep pace with every writer:
    /// when it falls behind and fills, sent rows stay for the relay, which sends them again as duplicates.
    /// </summary>
    public int CleanupParallelism { get; set; } = 32;

    /// <summary>How many sent rows the cleanup holds; a row finding it full stays for the relay (a duplicate send, never a loss).</summary>
    public int CleanupCapacity { get; set; } = 4096;

    /// <summary>
    /// How long a sent presence event's row waits before the cleanup removes it: the associate's next change within that
    /// time removes it in its own transaction instead, with no request of its own. 0 removes it at once. Never more than
    /// half of <see cref="GraceSeconds"/> (see <see cref="CleanupDelay"/>), or the relay would send the waiting rows again.
    /// </summary>
    public int CleanupDelaySeconds { get; set; } = 5;

    /// <summary>The delay in force: <see cref="CleanupDelaySeconds"/>, at most half of <see cref="GraceSeconds"/>.</summary>
    public TimeSpan CleanupDelay => TimeSpan.FromSeconds(Math.Clamp(CleanupDelaySeconds, 0, Math.Max(0, GraceSeconds) / 2));

    /// <summary>On shutdown, how long the queue keeps publishing before it leaves the rest to the relay.</summary>
    public int DrainSeconds { get; set; } = 5;
}
