namespace PresenceFunctions.Http;

/// <summary>The media type a response is written in, and whether its payload is JSON or XML.</summary>
public sealed record ResponseFormat(string MediaType, PayloadKind Kind)
{
    public static readonly ResponseFormat Json = new(MediaTypes.Json, PayloadKind.Json);

    public static readonly ResponseFormat Xml = new(MediaTypes.Xml, PayloadKind.Xml);

    public static readonly ResponseFormat TextXml = new(MediaTypes.TextXml, PayloadKind.Xml);

    /// <summary>Everything a response may be written as, in the order preferred when the client does not mind.</summary>
    public static readonly IReadOnlyList<ResponseFormat> All =
    [
        Json,
        new(MediaTypes.TextJson, PayloadKind.Json),
        Xml,
        TextXml,
        new(MediaTypes.JsonPatch, PayloadKind.Json),
        new(MediaTypes.MergePatch, PayloadKind.Json),
    ];

    /// <summary>Built once per format, not per response.</summary>
    public string ContentType { get; } = MediaType + "; charset=utf-8";
}
