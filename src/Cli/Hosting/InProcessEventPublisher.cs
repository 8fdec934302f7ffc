using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Events;
using PresenceFunctions.Functions.Events;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// Without Service Bus, <c>presence serve</c> delivers each event straight to the RebalanceTickets function,
/// as the message Service Bus would deliver, retrying like a subscription would. Publishing returns only
/// once the function succeeded, so a failed delivery leaves the event in the outbox for the relay.
/// </summary>
public sealed partial class InProcessEventPublisher(IServiceProvider services, TimeProvider time, ILogger<InProcessEventPublisher> logger) : IPresenceEventPublisher
{
    public const int MaxDeliveries = 3;

    private static readonly FunctionDefinition Rebalance = FunctionCatalog.Discover(typeof(RebalanceTickets).Assembly)
        .Single(f => f.Trigger is ServiceBusTriggerAttribute);

    public async Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        var sent = ServiceBusEventPublisher.ToMessage(outboxEvent);
        for (var delivery = 1; ; delivery++)
        {
            var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: sent.Body,
                messageId: sent.MessageId,
                subject: sent.Subject,
                contentType: sent.ContentType,
                properties: sent.ApplicationProperties,
                deliveryCount: delivery,
                enqueuedTime: time.GetUtcNow());
            try
            {
                await FunctionCatalog.InvokeAsync(services, Rebalance, message, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (delivery < MaxDeliveries && e is not OperationCanceledException)
            {
                LogRetry(logger, Rebalance.Name, outboxEvent.EventId, delivery, e.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * delivery), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} failed on {EventId} (delivery {Delivery}): {Failure}; retrying")]
    private static partial void LogRetry(ILogger logger, string function, string eventId, int delivery, string failure);
}
