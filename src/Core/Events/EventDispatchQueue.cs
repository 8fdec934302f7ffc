using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Observability;
using PresenceFunctions.Presence;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Events;

/// <summary>
/// Takes a committed change's events off the response path: a Set answers once its transaction commits, and the
/// events are published (and their outbox rows removed) here afterwards, by <see cref="EventDispatcher"/>. Lanes by
/// key hash keep one associate's (or one category's) events in order while lanes run side by side. Bounded: a full
/// or closed queue refuses at once and the event stays in the outbox for the relay, so a Set never waits or fails here.
/// </summary>
public sealed partial class EventDispatchQueue : IPresenceChangePublisher, ITicketChangePublisher
{
    private readonly Channel<Item>[] lanes;
    private readonly OutboxPublisher presence;
    private readonly TicketOutboxPublisher tickets;
    private readonly OutboxCleanup cleanup;
    private readonly TimeProvider time;
    private readonly ILogger<EventDispatchQueue> logger;
    private readonly PendingWork pending = new();

    public EventDispatchQueue(
        OutboxPublisher presence,
        TicketOutboxPublisher tickets,
        OutboxCleanup cleanup,
        IOptions<OutboxOptions> options,
        TimeProvider time,
        ILogger<EventDispatchQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.presence = presence;
        this.tickets = tickets;
        this.cleanup = cleanup;
        this.time = time;
        this.logger = logger;
        var count = Math.Max(1, options.Value.DispatchLanes);
        var capacity = Math.Max(1, options.Value.DispatchCapacity / count);
        lanes = [.. Enumerable.Range(0, count).Select(_ => Channel.CreateBounded<Item>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then answers false instead of dropping anything
            SingleReader = true,
        }))];
    }

    private static readonly AsyncLocal<bool> Dispatching = new();

    /// <summary>True on a dispatch lane: storage work done here is off the response path (the benchmark counts it apart).</summary>
    public static bool OnDispatchLane => Dispatching.Value;

    /// <summary>Events taken and not yet finished (published, or given up to the relay).</summary>
    public int Pending => pending.Count;

    /// <summary>Queues the event; false (at once) when the queue is full or closed: the row stays for the relay.</summary>
    public Task<bool> TryPublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        var accepted = TryEnqueue(LaneOf(outboxEvent.AssociateId, 0), new Item(outboxEvent, null, time.GetTimestamp()));
        if (!accepted)
        {
            LogNotQueued(logger, "presence", outboxEvent.EventId);
        }

        return Task.FromResult(accepted);
    }

    /// <summary>Queues a commit's assignment events together, in the lane of their category; false when full or closed.</summary>
    public Task<bool> TryPublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.FromResult(true);
        }

        var accepted = TryEnqueue(LaneOf(events[0].CategoryId, 1), new Item(null, events, time.GetTimestamp()));
        if (!accepted)
        {
            LogNotQueued(logger, "ticket", events[0].EventId);
        }

        return Task.FromResult(accepted);
    }

    /// <summary>Completes once every event taken so far is finished and its outbox row removed, waiting rows too (tests wait on it, never on a sleep).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        // In this order: an event hands its rows to the cleanup before it counts as finished here.
        await pending.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        await cleanup.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes once every event taken so far is finished and the removals now due are done; sent rows still waiting for
    /// their associate's next change stay waiting (the benchmark's pause between slices, which must not do their work early).
    /// </summary>
    public async Task WhenCaughtUpAsync(CancellationToken cancellationToken)
    {
        await pending.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        await cleanup.WhenCaughtUpAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes nothing more: from now on every event stays in the outbox for the relay.</summary>
    public void Complete()
    {
        foreach (var lane in lanes)
        {
            lane.Writer.TryComplete();
        }
    }

    /// <summary>Publishes lane by lane until the queue is completed and empty, or <paramref name="stoppingToken"/> fires; then the cleanup finishes.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var removing = Task.Run(
            () =>
            {
                Dispatching.Value = true; // the cleanup's storage work is off the response path too
                return cleanup.RunAsync(stoppingToken);
            },
            CancellationToken.None);
        try
        {
            await Task.WhenAll(lanes.Select(lane => Task.Run(() => RunLaneAsync(lane.Reader, stoppingToken), CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            cleanup.Complete();
            await removing.ConfigureAwait(false);
        }
    }

    private async Task RunLaneAsync(ChannelReader<Item> reader, CancellationToken stoppingToken)
    {
        Dispatching.Value = true;
        try
        {
            await foreach (var item in reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await PublishAsync(item, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    pending.Finished();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Out of time: what is still queued is the relay's.
        }

        while (reader.TryRead(out var left))
        {
            PresenceMetrics.EventsLeftToRelay.Add(left.Tickets?.Count ?? 1);
            LogLeftAtShutdown(logger, left.Presence?.EventId ?? left.Tickets![0].EventId);
            pending.Finished();
        }
    }

    private async Task PublishAsync(Item item, CancellationToken stoppingToken)
    {
        // The publishers log a failure and leave the rows to the relay; they never throw for one.
        var published = item.Presence is { } outboxEvent
            ? await presence.TrySendAsync(outboxEvent, stoppingToken).ConfigureAwait(false)
            : await tickets.TrySendAsync(item.Tickets!, stoppingToken).ConfigureAwait(false);
        var kind = item.Presence is null ? "ticket" : "presence";
        if (!published)
        {
            PresenceMetrics.EventsLeftToRelay.Add(item.Tickets?.Count ?? 1, new KeyValuePair<string, object?>("kind", kind));
            return;
        }

        // Published once the transport accepted it; removing the row is behind the lane, so the next event never waits on it.
        PresenceMetrics.EventDispatchLatency.Record(time.GetElapsedTime(item.QueuedAt).TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind));
        _ = item.Presence is { } sent ? cleanup.Park(presence.RowOf(sent)) : cleanup.Take(tickets.RowsOf(item.Tickets!));
    }

    private bool TryEnqueue(ChannelWriter<Item> lane, Item item)
    {
        pending.Started();
        if (lane.TryWrite(item))
        {
            return true;
        }

        PresenceMetrics.EventsLeftToRelay.Add(item.Tickets?.Count ?? 1, new KeyValuePair<string, object?>("kind", item.Presence is null ? "ticket" : "presence"));
        pending.Finished();
        return false;
    }

    /// <summary>A fixed spread (Knuth's multiplicative hash) so neighbouring ids share no lane pattern; salt keeps the two kinds apart.</summary>
    private ChannelWriter<Item> LaneOf(int key, uint salt) =>
        lanes[(int)(unchecked(((uint)key ^ (salt * 0x9E3779B9u)) * 2654435761u) % (uint)lanes.Length)].Writer;

    /// <summary>One commit's events and when they were queued (the start of their dispatch latency).</summary>
    private sealed record Item(OutboxEvent? Presence, IReadOnlyList<TicketOutboxEvent>? Tickets, long QueuedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event queue is full or closed: {Kind} event {EventId} stays in the outbox for the relay")]
    private static partial void LogNotQueued(ILogger logger, string kind, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: event {EventId} stays in the outbox for the relay")]
    private static partial void LogLeftAtShutdown(ILogger logger, string eventId);
}
