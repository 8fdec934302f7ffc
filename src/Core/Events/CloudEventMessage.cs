using Azure.Messaging.ServiceBus;
using PresenceFunctions.Observability;

namespace PresenceFunctions.Events;

/// <summary>A structured CloudEvent as a Service Bus message: both topics' publishers send this shape.</summary>
public static class CloudEventMessage
{
    /// <param name="messageId">The event id: the topic's duplicate detection absorbs any re-send.</param>
    /// <param name="properties">What subscribers filter on.</param>
    /// <param name="traceParent">The trace context to continue: the Service Bus SDK keeps a Diagnostic-Id it finds, so the trace continues from the cause, not the relay.</param>
    public static ServiceBusMessage Create(string body, string messageId, string subject, string contentType, IEnumerable<KeyValuePair<string, object>> properties, string? traceParent)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var message = new ServiceBusMessage(BinaryData.FromString(body))
        {
            MessageId = messageId,
            Subject = subject,
            ContentType = contentType,
        };
        foreach (var (name, value) in properties)
        {
            message.ApplicationProperties[name] = value;
        }

        if (traceParent is not null)
        {
            message.ApplicationProperties[PresenceTracing.DiagnosticIdProperty] = traceParent;
            message.ApplicationProperties[PresenceTracing.TraceParentProperty] = traceParent;
        }

        return message;
    }
}
