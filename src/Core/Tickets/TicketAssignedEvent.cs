using System.Globalization;
using CloudNative.CloudEvents;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tickets;

/// <summary>Builds and reads the CloudEvents 1.0 envelope of an assignment change (structured JSON mode).</summary>
public static class TicketAssignedEvent
{
    public const string Type = "SuperOffice.Ticket.Assigned";
    public const string ContentType = StructuredCloudEvent<TicketAssignedData>.ContentType;

    private static readonly StructuredCloudEvent<TicketAssignedData> Kind = new(Type, new Uri("/superoffice/tickets", UriKind.Relative));

    public static Uri Source => Kind.Source;

    /// <summary>Also the Service Bus MessageId, so duplicate detection absorbs re-sends of the same assignment.</summary>
    public static string IdFor(int ticketId, long assignmentVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"ticket-{ticketId}-{assignmentVersion}");

    public static string Subject(int ticketId) => string.Create(CultureInfo.InvariantCulture, $"ticket/{ticketId}");

    /// <summary>The reason as it appears in events and answers: <c>arrival</c>, <c>presence</c>, ...</summary>
    public static string ReasonName(AssignmentReason reason) => reason.ToString().ToLowerInvariant();

    public static CloudEvent Create(TicketAssignedData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Kind.Create(IdFor(data.TicketId, data.AssignmentVersion), Subject(data.TicketId), data.AssignedAt, data);
    }

    public static byte[] Encode(CloudEvent cloudEvent) => Kind.Encode(cloudEvent);

    /// <summary>Reads a structured CloudEvent; throws when it is not an assignment event.</summary>
    public static TicketAssignedData Decode(ReadOnlyMemory<byte> body) => Kind.Decode(body);
}
