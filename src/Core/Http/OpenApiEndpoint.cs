using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace PresenceFunctions.Http;

/// <summary>
/// <c>GET /api/openapi.json</c>: the OpenAPI 3.1 description of this API, byte for byte <c>docs/openapi.json</c>
/// (embedded at build), so integrators can browse the contract and generate clients. No credentials needed.
/// </summary>
public static class OpenApiEndpoint
{
    public const string Route = PresenceRoutes.OpenApi;
    private const string ResourceName = "PresenceFunctions.Core.openapi.json";

    /// <summary>The document, read once from the assembly.</summary>
    public static ReadOnlyMemory<byte> Document { get; } = Load();

    public static IActionResult Answer(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new PayloadResult(200, ResponseFormat.Json.ContentType, Document.ToArray(), []);
    }

    private static byte[] Load()
    {
        using var stream = typeof(OpenApiEndpoint).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
