using Azure.Messaging.ServiceBus;

namespace PresenceFunctions.Tests.Unit.Events;

/// <summary>The SDK's own seam: ServiceBusSender is built to be subclassed in tests.</summary>
public sealed class RecordingSender : ServiceBusSender
{
    public List<ServiceBusMessage> Sent { get; } = [];

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        Sent.Add(message);
        return Task.CompletedTask;
    }
}
