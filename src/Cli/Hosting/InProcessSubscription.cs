using System.Threading.Channels;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// Without Service Bus, <c>presence serve</c>'s stand-in for the rebalance subscription: <see cref="InProcessEventPublisher"/>
/// accepts events into it, and <see cref="InProcessRebalanceWorker"/> hands them to the rebalancer in the background. A
/// pass never runs inside a request or inside a publish. It depends on nothing but its observers: the rebalancer publishes
/// through the queue that publishes into this, so the worker is a separate service to keep the graph free of cycles.
/// </summary>
public sealed class InProcessSubscription(IEnumerable<IAcceptedEvents> observers)
{
    /// <summary>Bounds what waits for a pass; a full subscription makes the publishing lane wait, never a request.</summary>
    public const int Capacity = 1024;

    private readonly Channel<Delivery> deliveries = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private readonly IAcceptedEvents[] observers = [.. observers];
    private readonly PendingWork pending = new();

    /// <summary>Completes once every event accepted so far has had its pass (tests wait on it, never on a sleep).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken) => pending.WhenIdleAsync(cancellationToken);

    /// <summary>Takes the event; observers (serve --events) see it before the rebalancer can start on it.</summary>
    public async Task AcceptAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pending.Started();
        try
        {
            await deliveries.Writer.WriteAsync(new Delivery(outboxEvent, recorded.Task), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            pending.Finished();
            throw;
        }

        try
        {
            foreach (var observer in observers)
            {
                await observer.AcceptedAsync(outboxEvent, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            recorded.TrySetResult();
        }
    }

    /// <summary>Each accepted event, once its observers have seen it, handed to <paramref name="handle"/> one at a time.</summary>
    public async Task ConsumeAsync(Func<OutboxEvent, CancellationToken, Task> handle, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        await foreach (var delivery in deliveries.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await delivery.Recorded.ConfigureAwait(false);
                await handle(delivery.Event, stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                pending.Finished();
            }
        }
    }

    private sealed record Delivery(OutboxEvent Event, Task Recorded);
}
