using System.Globalization;
using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace PresenceFunctions.Tickets;

/// <summary>Builds and reads the CloudEvents 1.0 envelope of an assignment change (structured JSON mode).</summary>
public static class TicketAssignedEvent
{
    public const string Type = "SuperOffice.Ticket.Assigned";
    public const string ContentType = "application/cloudevents+json";
    public static readonly Uri Source = new("/superoffice/tickets", UriKind.Relative);

    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web);
    private static readonly JsonEventFormatter<TicketAssignedData> Formatter = new(DataOptions, new JsonDocumentOptions());

    /// <summary>Also the Service Bus MessageId, so duplicate detection absorbs re-sends of the same assignment.</summary>
    public static string IdFor(int ticketId, long assignmentVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"ticket-{ticketId}-{assignmentVersion}");

    public static string Subject(int ticketId) => string.Create(CultureInfo.InvariantCulture, $"ticket/{ticketId}");

    /// <summary>The reason as it appears in events and answers: <c>arrival</c>, <c>presence</c>, ...</summary>
    public static string ReasonName(AssignmentReason reason) => reason.ToString().ToLowerInvariant();

    public static CloudEvent Create(TicketAssignedData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = IdFor(data.TicketId, data.AssignmentVersion),
            Type = Type,
            Source = Source,
            Subject = Subject(data.TicketId),
            Time = data.AssignedAt,
            DataContentType = MediaTypeNames.Application.Json,
            Data = data,
        };
    }

    public static byte[] Encode(CloudEvent cloudEvent) =>
        Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();

    /// <summary>Reads a structured CloudEvent; throws when it is not an assignment event.</summary>
    public static TicketAssignedData Decode(ReadOnlyMemory<byte> body)
    {
        var cloudEvent = Formatter.DecodeStructuredModeMessage(body, new System.Net.Mime.ContentType(ContentType), extensionAttributes: null);
        if (!string.Equals(cloudEvent.Type, Type, StringComparison.Ordinal))
        {
            throw new FormatException($"Expected a {Type} event, got {cloudEvent.Type}.");
        }

        return cloudEvent.Data as TicketAssignedData
            ?? throw new FormatException("The event carries no assignment data.");
    }
}
