using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

// Built only with ServiceBusExtension=Declared (the default; see the project file). The package feed of
// this project's build machines lacks Microsoft.Azure.Functions.Worker.Extensions.ServiceBus, so this
// declares its trigger with the same binding name ("serviceBusTrigger"), namespace and properties, and
// the Worker SDK writes the same functions.metadata. Deployment builds use the package instead.
namespace Microsoft.Azure.Functions.Worker;

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ServiceBusTriggerAttribute : TriggerBindingAttribute, ISupportCardinality
{
    public ServiceBusTriggerAttribute(string queueName) => QueueName = queueName;

    public ServiceBusTriggerAttribute(string topicName, string subscriptionName)
    {
        TopicName = topicName;
        SubscriptionName = subscriptionName;
    }

    public string? QueueName { get; }

    public string? TopicName { get; }

    public string? SubscriptionName { get; }

    /// <summary>The app setting (or setting prefix, for a managed identity) that names the namespace.</summary>
    public string? Connection { get; set; }

    public bool IsSessionsEnabled { get; set; }

    [DefaultValue(true)]
    public bool AutoCompleteMessages { get; set; } = true;

    /// <summary>Whether the function takes messages in batches ("cardinality": "Many"). The SDK reads the default from the attribute.</summary>
    [DefaultValue(false)]
    public bool IsBatched { get; set; }

    Cardinality ISupportCardinality.Cardinality
    {
        get => IsBatched ? Cardinality.Many : Cardinality.One;
        set => IsBatched = value == Cardinality.Many;
    }
}
