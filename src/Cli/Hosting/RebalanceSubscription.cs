using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Observability;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// With ServiceBusConnection set, <c>presence serve</c> takes messages from the real subscription to the
/// rebalancer, with the call RebalanceTickets makes. A handler that throws leaves its message abandoned, so
/// Service Bus redelivers it and dead-letters it after the subscription's <see cref="MaxDeliveryCount"/>.
/// </summary>
public sealed partial class RebalanceSubscription(ServiceBusClient client, TicketRebalancer rebalancer, IConfiguration configuration, ILogger<RebalanceSubscription> logger)
    : IHostedService, IAsyncDisposable
{
    /// <summary>The subscription's maxDeliveryCount (infra/modules/servicebus.bicep).</summary>
    public const int MaxDeliveryCount = 10;

    private readonly ServiceBusProcessor processor = client.CreateProcessor(
        PresenceServiceCollectionExtensions.EventSetting(configuration, PresenceServiceCollectionExtensions.TopicSetting),
        PresenceServiceCollectionExtensions.EventSetting(configuration, PresenceServiceCollectionExtensions.SubscriptionSetting),
        // The Functions host's default concurrency for a Service Bus trigger (host.json sets none): 16 per core.
        new ServiceBusProcessorOptions { MaxConcurrentCalls = 16 * Environment.ProcessorCount, AutoCompleteMessages = true });

    public Task StartAsync(CancellationToken cancellationToken)
    {
        processor.ProcessMessageAsync += args =>
            rebalancer.HandleAsync(args.Message.Body, PresenceTracing.TraceParentOf(args.Message.ApplicationProperties), args.CancellationToken);
        processor.ProcessErrorAsync += args =>
        {
            LogError(logger, args.Exception, args.EntityPath);
            return Task.CompletedTask;
        };
        return processor.StartProcessingAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => processor.StopProcessingAsync(cancellationToken);

    public ValueTask DisposeAsync() => processor.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebalancing failed on a message from {EntityPath}; Service Bus will redeliver it")]
    private static partial void LogError(ILogger logger, Exception exception, string entityPath);
}
