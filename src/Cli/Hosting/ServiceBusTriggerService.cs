using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// With ServiceBusConnection set, <c>presence serve</c> listens on the real subscription and invokes the
/// Service Bus-triggered functions for each message, completing it on success and abandoning it on failure
/// (so Service Bus redelivers, then dead-letters after MaxDeliveryCount), as the host's extension does.
/// </summary>
public sealed partial class ServiceBusTriggerService(
    IServiceProvider services,
    ServiceBusClient client,
    IConfiguration configuration,
    ILogger<ServiceBusTriggerService> logger) : BackgroundService
{
    private readonly List<ServiceBusProcessor> processors = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var function in FunctionCatalog.Discover(typeof(Functions.Events.RebalanceTickets).Assembly).Where(f => f.Trigger is ServiceBusTriggerAttribute))
        {
            var trigger = (ServiceBusTriggerAttribute)function.Trigger;
            var options = new ServiceBusProcessorOptions { AutoCompleteMessages = trigger.AutoCompleteMessages, MaxConcurrentCalls = 1 };
            var processor = trigger.QueueName is { } queue
                ? client.CreateProcessor(Resolve(queue), options)
                : client.CreateProcessor(Resolve(trigger.TopicName!), Resolve(trigger.SubscriptionName!), options);
            processor.ProcessMessageAsync += args => FunctionCatalog.InvokeAsync(services, function, args.Message, args.CancellationToken);
            processor.ProcessErrorAsync += args =>
            {
                LogError(logger, args.Exception, function.Name, args.EntityPath);
                return Task.CompletedTask;
            };
            processors.Add(processor);
            await processor.StartProcessingAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var processor in processors)
        {
            await processor.StopProcessingAsync(cancellationToken).ConfigureAwait(false);
            await processor.DisposeAsync().ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Binding expressions: <c>%Name%</c> is the app setting Name.</summary>
    private string Resolve(string expression) =>
        expression.Length > 2 && expression.StartsWith('%') && expression.EndsWith('%')
            ? PresenceServiceCollectionExtensions.EventSetting(configuration, expression[1..^1])
            : expression;

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function} failed on a message from {EntityPath}; Service Bus will redeliver it")]
    private static partial void LogError(ILogger logger, Exception exception, string function, string entityPath);
}
