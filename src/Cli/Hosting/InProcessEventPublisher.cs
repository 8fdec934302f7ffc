using Microsoft.Extensions.Logging;
using PresenceFunctions.Presence;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// Without Service Bus, <c>presence serve</c> hands each event to the rebalancer, up to the subscription's delivery
/// count. Publishing returns once the rebalancer succeeded, so a failed delivery leaves the event in the outbox for the relay.
/// </summary>
public sealed partial class InProcessEventPublisher(TicketRebalancer rebalancer, TimeProvider time, ILogger<InProcessEventPublisher> logger) : IPresenceEventPublisher
{
    public async Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
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
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebalancing failed on {EventId} (delivery {Delivery}): {Failure}; retrying")]
    private static partial void LogRetry(ILogger logger, string eventId, int delivery, string failure);
}
