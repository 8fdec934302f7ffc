using Azure.Messaging.ServiceBus;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>A Service Bus sender (the SDK's mockable seam) that records what it accepts and can be made to fail.</summary>
public sealed class FlakySender : ServiceBusSender
{
    private readonly Lock gate = new();
    private readonly List<ServiceBusMessage> sent = [];

    public bool Failing { get; set; }

    public IReadOnlyList<ServiceBusMessage> Sent
    {
        get
        {
            lock (gate)
            {
                return [.. sent];
            }
        }
    }

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        if (Failing)
        {
            throw new ServiceBusException("The namespace is unreachable (simulated).", ServiceBusFailureReason.ServiceCommunicationProblem);
        }

        lock (gate)
        {
            sent.Add(message);
        }

        return Task.CompletedTask;
    }

    /// <summary>All or nothing, as one Service Bus send of a batch.</summary>
    public override Task SendMessagesAsync(IEnumerable<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (Failing)
        {
            throw new ServiceBusException("The namespace is unreachable (simulated).", ServiceBusFailureReason.ServiceCommunicationProblem);
        }

        lock (gate)
        {
            sent.AddRange(messages);
        }

        return Task.CompletedTask;
    }
}
