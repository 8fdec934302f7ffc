using Azure.Messaging.ServiceBus;

namespace PresenceFunctions.Tests.Unit.Events;

/// <summary>The SDK's own seam: ServiceBusSender is built to be subclassed in tests.</summary>
public sealed class RecordingSender : ServiceBusSender
{
    public List<ServiceBusMessage> Sent { get; } = [];

    /// <summary>Each send of several messages, as it was made.</summary>
    public List<List<ServiceBusMessage>> Batches { get; } = [];

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        Sent.Add(message);
        return Task.CompletedTask;
    }

    public override Task SendMessagesAsync(IEnumerable<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
    {
        List<ServiceBusMessage> batch = [.. messages];
        Batches.Add(batch);
        Sent.AddRange(batch);
        return Task.CompletedTask;
    }
}
