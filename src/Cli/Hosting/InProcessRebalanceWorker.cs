using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Presence;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// Runs <see cref="InProcessSubscription"/>'s events through the rebalancer, up to the subscription's delivery count, as the
/// trigger would. Events still queued when serve stops are lost to this process only: the rebalancer re-plans from stored
/// state, so the next event or full pass for the category repairs the assignments, as after a crash.
/// </summary>
public sealed partial class InProcessRebalanceWorker(InProcessSubscription subscription, TicketRebalancer rebalancer, TimeProvider time, ILogger<InProcessRebalanceWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await subscription.ConsumeAsync(DeliverAsync, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a pass cut short is repaired by the next one.
        }
    }

    private async Task DeliverAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        // The body and trace context the Service Bus message would carry (ServiceBusEventPublisher.ToMessage).
        var body = BinaryData.FromString(outboxEvent.Body);
        for (var delivery = 1; ; delivery++)
        {
            try
            {
                await rebalancer.HandleAsync(body, outboxEvent.TraceParent, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (delivery < RebalanceSubscription.MaxDeliveryCount && e is not OperationCanceledException)
            {
                // Service Bus redelivers at once; a short, growing pause gives a storage hiccup time to pass.
                LogRetry(logger, outboxEvent.EventId, delivery, e.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * delivery), time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Service Bus would dead-letter it; the next event or full pass repairs what it left.
                LogGaveUp(logger, e, outboxEvent.EventId, delivery);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebalancing failed on {EventId} (delivery {Delivery}): {Failure}; retrying")]
    private static partial void LogRetry(ILogger logger, string eventId, int delivery, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebalancing failed on {EventId} after {Delivery} deliveries; giving up on it, as a dead letter")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string eventId, int delivery);
}
