using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Observability;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Functions.Events;

/// <summary>
/// Moves tickets when presence changes. A message it cannot read throws, so Service Bus redelivers it and
/// dead-letters it after MaxDeliveryCount; a storage failure throws too, and the retry does the pass again.
/// </summary>
public sealed class RebalanceTickets(TicketRebalancer rebalancer)
{
    [Function(nameof(RebalanceTickets))]
    public Task Run(
        [ServiceBusTrigger("%" + PresenceServiceCollectionExtensions.TopicSetting + "%", "%" + PresenceServiceCollectionExtensions.SubscriptionSetting + "%", Connection = PresenceServiceCollectionExtensions.ServiceBusSetting)]
        ServiceBusReceivedMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return rebalancer.HandleAsync(message.Body, PresenceTracing.TraceParentOf(message.ApplicationProperties), cancellationToken);
    }
}
