using Microsoft.Extensions.Logging;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// Without Service Bus, <c>presence serve</c> has no ticket topic and nothing in-process consumes assignments: it
/// accepts them (so they do not pile up in the outbox) and logs each one; <c>--events</c> also writes them to a file.
/// </summary>
public sealed partial class InProcessTicketEventPublisher(ILogger<InProcessTicketEventPublisher> logger) : ITicketEventPublisher
{
    public Task PublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var outboxEvent in events)
        {
            LogAssigned(logger, outboxEvent.EventId, outboxEvent.TicketId, outboxEvent.CategoryId, outboxEvent.OwnerId, outboxEvent.AssignmentVersion);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{EventId}: ticket {TicketId} in category {CategoryId} assigned to {OwnerId} (version {AssignmentVersion})")]
    private static partial void LogAssigned(ILogger logger, string eventId, int ticketId, int categoryId, int ownerId, long assignmentVersion);
}
