using System.Globalization;
using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace PresenceFunctions.Presence;

/// <summary>Builds and reads the CloudEvents 1.0 envelope of a presence change (structured JSON mode).</summary>
public static class PresenceChangedEvent
{
    public const string Type = "SuperOffice.UserPresenceStatus.Changed";
    public const string ContentType = "application/cloudevents+json";
    public static readonly Uri Source = new("/superoffice/presence", UriKind.Relative);

    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web);
    private static readonly JsonEventFormatter<PresenceChangedData> Formatter = new(DataOptions, new JsonDocumentOptions());

    /// <summary>Also the Service Bus MessageId, so duplicate detection absorbs re-sends of the same change.</summary>
    public static string IdFor(int associateId, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"presence-{associateId}-{version}");

    public static string Subject(int associateId) => string.Create(CultureInfo.InvariantCulture, $"associate/{associateId}");

    public static CloudEvent Create(PresenceChangedData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = IdFor(data.AssociateId, data.Version),
            Type = Type,
            Source = Source,
            Subject = Subject(data.AssociateId),
            Time = data.ChangedAt,
            DataContentType = MediaTypeNames.Application.Json,
            Data = data,
        };
    }

    public static byte[] Encode(CloudEvent cloudEvent) =>
        Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();

    /// <summary>Reads a structured CloudEvent; throws when it is not one of ours, so a trigger lets the host retry and dead-letter it.</summary>
    public static PresenceChangedData Decode(ReadOnlyMemory<byte> body)
    {
        var cloudEvent = Formatter.DecodeStructuredModeMessage(body, new System.Net.Mime.ContentType(ContentType), extensionAttributes: null);
        if (!string.Equals(cloudEvent.Type, Type, StringComparison.Ordinal))
        {
            throw new FormatException($"Expected a {Type} event, got {cloudEvent.Type}.");
        }

        return cloudEvent.Data as PresenceChangedData
            ?? throw new FormatException("The event carries no presence data.");
    }
}
