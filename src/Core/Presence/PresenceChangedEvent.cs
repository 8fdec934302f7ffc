using System.Globalization;
using CloudNative.CloudEvents;

namespace PresenceFunctions.Presence;

/// <summary>Builds and reads the CloudEvents 1.0 envelope of a presence change (structured JSON mode).</summary>
public static class PresenceChangedEvent
{
    public const string Type = "SuperOffice.UserPresenceStatus.Changed";
    public const string ContentType = StructuredCloudEvent<PresenceChangedData>.ContentType;

    private static readonly StructuredCloudEvent<PresenceChangedData> Kind = new(Type, new Uri("/superoffice/presence", UriKind.Relative));

    public static Uri Source => Kind.Source;

    /// <summary>Also the Service Bus MessageId, so duplicate detection absorbs re-sends of the same change.</summary>
    public static string IdFor(int associateId, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"presence-{associateId}-{version}");

    public static string Subject(int associateId) => string.Create(CultureInfo.InvariantCulture, $"associate/{associateId}");

    public static CloudEvent Create(PresenceChangedData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Kind.Create(IdFor(data.AssociateId, data.Version), Subject(data.AssociateId), data.ChangedAt, data);
    }

    public static byte[] Encode(CloudEvent cloudEvent) => Kind.Encode(cloudEvent);

    /// <summary>Reads a structured CloudEvent; throws when it is not one of ours, so a trigger lets the host retry and dead-letter it.</summary>
    public static PresenceChangedData Decode(ReadOnlyMemory<byte> body) => Kind.Decode(body);
}
