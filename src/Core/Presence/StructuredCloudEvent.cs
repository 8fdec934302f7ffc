using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace PresenceFunctions.Presence;

/// <summary>
/// One kind of CloudEvent (type, source, data record) in structured JSON mode, as this app publishes and reads
/// them: the presence-changed and ticket-assigned events differ only in these.
/// </summary>
public sealed class StructuredCloudEvent<TData>(string type, Uri source)
    where TData : class
{
    public const string ContentType = "application/cloudevents+json";

    private readonly JsonEventFormatter<TData> formatter = new(new JsonSerializerOptions(JsonSerializerDefaults.Web), new JsonDocumentOptions());

    public string Type => type;

    public Uri Source => source;

    public CloudEvent Create(string id, string subject, DateTimeOffset time, TData data) => new(CloudEventsSpecVersion.V1_0)
    {
        Id = id,
        Type = type,
        Source = source,
        Subject = subject,
        Time = time,
        DataContentType = MediaTypeNames.Application.Json,
        Data = data ?? throw new ArgumentNullException(nameof(data)),
    };

    public byte[] Encode(CloudEvent cloudEvent) =>
        formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();

    /// <summary>Reads a structured CloudEvent; throws when it is not of this type, so a trigger lets the host retry and dead-letter it.</summary>
    public TData Decode(ReadOnlyMemory<byte> body)
    {
        var cloudEvent = formatter.DecodeStructuredModeMessage(body, new System.Net.Mime.ContentType(ContentType), extensionAttributes: null);
        if (!string.Equals(cloudEvent.Type, type, StringComparison.Ordinal))
        {
            throw new FormatException($"Expected a {type} event, got {cloudEvent.Type}.");
        }

        return cloudEvent.Data as TData
            ?? throw new FormatException($"The {type} event carries no data.");
    }
}
