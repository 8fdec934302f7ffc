namespace PresenceFunctions.Http;

/// <summary>The media types of the published contract.</summary>
public static class MediaTypes
{
    public const string Json = "application/json";
    public const string TextJson = "text/json";
    public const string Xml = "application/xml";
    public const string TextXml = "text/xml";
    public const string Form = "application/x-www-form-urlencoded";
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>Request body types, in the order the contract lists them.</summary>
    public static readonly IReadOnlyList<string> Requests = [Json, TextJson, Xml, TextXml, Form, JsonPatch, MergePatch];
}
